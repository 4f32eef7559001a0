// Timing knobs of the conformance suite. Every wait in the suite is bounded by one of these.

function num(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number of milliseconds, got '${raw}'`);
  return n;
}

/** Longest wait for a frame, a close or an HTTP answer that should arrive. */
export const TIMEOUT_MS = num('CONFORMANCE_TIMEOUT_MS', 10000);

/** Observation window for "nothing (more) arrives", always used after a positive sync point. */
export const WINDOW_MS = num('CONFORMANCE_WINDOW_MS', 400);

/** Longest wait for a spawned server to answer GET /health with 200. */
export const START_TIMEOUT_MS = num('PEERPIGEON_START_TIMEOUT_MS', 30000);

/** Per-test ceiling, so that a hung test fails instead of hanging the run. */
export const TEST_TIMEOUT_MS = num('CONFORMANCE_TEST_TIMEOUT_MS', 90000);

/**
 * PEERPIGEON_SPREAD: how many gateways each spawned configuration has (1, the default, or 2). With 2 the suite
 * allocates two ports (PORT and SECOND_PORT), waits for GET /health on both, and spreads each test's sockets over
 * both gateways (README.md, "Spread mode").
 */
function spread(name) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return 1;
  if (raw.trim() === '1') return 1;
  if (raw.trim() === '2') return 2;
  throw new Error(
    `${name} must be 1 (one server process, the default) or 2 (a fleet with two gateways on PORT and SECOND_PORT), ` +
      `got '${raw}'. Unset it for the single-server run.`,
  );
}

export const SPREAD = spread('PEERPIGEON_SPREAD');
