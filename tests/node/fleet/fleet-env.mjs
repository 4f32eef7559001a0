// Shared by the fleet tests (tests/node/fleet/*.test.mjs): the fleet's addresses from the environment (a missing one
// is a failure that says how to set it, never a skip), the optional AUTH_TOKEN, bounded HTTP and polling, and a raw
// WebSocket peer for making grain activity.
//
// A fleet from deploy/local/cluster.sh writes all of these to its fleet.env:
//   set -a; . deploy/local/.fleet/fleet.env; set +a; node --test tests/node/fleet/

import WebSocket from 'ws';

export { randomHex, withToken } from '../lib/official-client.mjs';
export { outputDir } from '../lib/chromium.mjs';

/** Every positive wait in the fleet tests is bounded by this (PEERPIGEON_FLEET_WAIT_MS, default 30 s). */
export const WAIT_MS = Number(process.env.PEERPIGEON_FLEET_WAIT_MS || 30_000);

const HOW_TO =
  'Start a fleet and point the tests at it, e.g.\n' +
  '  bash deploy/local/cluster.sh up\n' +
  '  set -a; . deploy/local/.fleet/fleet.env; set +a\n' +
  '  node --test tests/node/fleet/\n' +
  '(refusing to skip: a missing fleet must not look like a passing run)';

/** The value of `name`, or an error that names the variable, gives an example and says how to get a fleet. */
export function requireEnv(name, example) {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is not set (e.g. ${name}=${example}).\n${HOW_TO}`);
  return value;
}

/** A ws:// or wss:// URL from `name`. */
export function requireWsUrl(name, example = 'ws://127.0.0.1:3000') {
  const value = requireEnv(name, example);
  if (!/^wss?:\/\/[^/]/.test(value)) throw new Error(`${name} must be a ws:// or wss:// URL, got ${JSON.stringify(value)}`);
  return value;
}

/** An http:// or https:// URL from `name`. */
export function requireHttpUrl(name, example) {
  const value = requireEnv(name, example);
  if (!/^https?:\/\/[^/]/.test(value)) throw new Error(`${name} must be an http:// or https:// URL, got ${JSON.stringify(value)}`);
  return value;
}

/** The fleet's AUTH_TOKEN (PEERPIGEON_AUTH_TOKEN), or '' when the fleet has none. */
export function authToken() {
  return process.env.PEERPIGEON_AUTH_TOKEN ?? '';
}


/** The HTTP origin of a gateway's WebSocket URL: ws://h:p/... -> http://h:p. */
export function httpOrigin(wsUrl) {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.origin;
}

/** fetch with a bound; the error names the URL. */
export async function fetchBounded(url, init = {}, timeoutMs = 10_000) {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new Error(`GET ${url} failed: ${err?.cause?.message ?? err?.message ?? err}`);
  }
}

/**
 * Calls `attempt` until it returns a truthy value, at most `timeoutMs`; between calls waits `intervalMs` (the polling
 * interval of a bounded wait). On timeout throws `expected` with `observed()` (what the last attempt saw).
 */
export async function pollUntil(attempt, { expected, observed = () => '', timeoutMs = WAIT_MS, intervalMs = 250 }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await attempt();
      if (value) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const seen = observed();
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for: ${expected}` +
          (seen ? `\nObserved: ${seen}` : '') +
          (lastError ? `\nLast error: ${lastError.message}` : '')
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * A raw PeerPigeon peer on a gateway: opens `ws://…/?peerId=<id>` (with the token as a Bearer header when the fleet
 * has one) and resolves once the server's `connected` frame arrived. `announce(network[, data])` sends the official
 * client's announce (data defaults to {peerId}) and resolves after a ping/pong round trip, so the announce has been
 * processed by then. `send(frame)` sends any frame.
 */
export async function connectRawPeer(wsUrl, peerId, timeoutMs = WAIT_MS) {
  const url = new URL(wsUrl);
  url.searchParams.set('peerId', peerId);
  const token = authToken();
  const ws = new WebSocket(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  const frames = [];
  const arrivals = new WeakMap(); // frame -> Date.now() when it arrived
  const waiters = new Set();
  let closed = null;
  ws.on('message', (data) => {
    let frame;
    try {
      frame = JSON.parse(data.toString('utf8'));
    } catch {
      frame = { type: '(not JSON)', raw: data.toString('utf8').slice(0, 200) };
    }
    frames.push(frame);
    arrivals.set(frame, Date.now());
    for (const w of [...waiters]) w();
  });
  ws.on('close', (code, reason) => {
    closed = { code, reason: reason.toString(), at: Date.now() };
    for (const w of [...waiters]) w();
  });
  const opened = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade to ${url.origin} answered HTTP ${res.statusCode}` +
      (res.statusCode === 401 ? ' (the gateway wants AUTH_TOKEN: set PEERPIGEON_AUTH_TOKEN to the fleet\'s token)' : ''))));
  });

  const waitFor = (predicate, expected, ms = timeoutMs) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const hit = frames.find(predicate);
        if (hit || closed) {
          clearTimeout(timer);
          waiters.delete(check);
          if (hit) resolve(hit);
          else reject(new Error(`${peerId.slice(0, 8)}: socket closed ${JSON.stringify(closed)} while waiting for ${expected}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${peerId.slice(0, 8)}: timed out after ${ms} ms waiting for ${expected}; frames: ${JSON.stringify(frames.map((f) => f.type))}`));
      }, ms);
      waiters.add(check);
      check();
    });

  let timer;
  try {
    await Promise.race([
      opened,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms opening ${url.origin}`)), timeoutMs);
      })
    ]);
  } catch (err) {
    ws.terminate();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  await waitFor((f) => f.type === 'connected', "the server's `connected` frame");

  let pings = 0;
  return {
    peerId,
    frames,
    waitFor,
    /** When `frame` (one of `frames`) arrived, in Date.now() milliseconds. */
    receivedAt: (frame) => arrivals.get(frame),
    /** {code, reason, at} once the socket closed, else null. */
    get closed() {
      return closed;
    },
    /** Resolves with {code, reason, at} when the socket closes; rejects after `ms`. */
    waitClosed(expected, ms = timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!closed) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(closed);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${peerId.slice(0, 8)}: timed out after ${ms} ms waiting for ${expected}; the socket is still open`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    /** Sends `frame` as JSON text. */
    send(frame) {
      ws.send(JSON.stringify(frame));
    },
    async announce(networkName, data = { peerId }) {
      ws.send(JSON.stringify({ type: 'announce', data, maxPeers: 3, networkName }));
      pings += 1;
      ws.send(JSON.stringify({ type: 'ping', data: { timestamp: Date.now() } }));
      await waitFor((f) => f.type === 'pong' && frames.filter((x) => x.type === 'pong').length >= pings, `pong #${pings} after announcing in ${networkName}`);
    },
    close() {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000, 'test done');
      setTimeout(() => ws.terminate(), 2000).unref();
    }
  };
}
