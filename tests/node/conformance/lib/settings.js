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
