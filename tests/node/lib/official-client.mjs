// Helpers for driving the official `peerpigeon@1.1.3` client library (PeerPigeonMesh) from Node
// with real WebRTC (@roamhq/wrtc, installed through the `@koush/wrtc` override in ../package.json).
//
// What this module takes care of (see the notes next to each function):
//   * the server URL comes from PEERPIGEON_URL and its absence is a hard failure, never a skip;
//   * the client's console output is buffered and only shown when a test fails;
//   * WebRTC is initialised explicitly (the library swallows that failure) and forced to loopback-only ICE;
//   * the timer that PeerPigeonMesh leaks (it would keep the process alive forever) is tracked and cleared;
//   * every wait is bounded and its timeout message says what was expected and what was observed.

import { format } from 'node:util';
import { EventRecorder } from './event-recorder.mjs';
import { trackPeerConnection } from './webrtc-teardown.mjs';

/** Returns the server URL from PEERPIGEON_URL, or throws an error that explains how to set it. */
export function requireServerUrl() {
  const url = process.env.PEERPIGEON_URL;
  if (!url || url.trim() === '') {
    throw new Error(
      'PEERPIGEON_URL is not set. These tests need a running signaling server, e.g.\n' +
      '  PEERPIGEON_URL=ws://127.0.0.1:3000 node --test tests/node/client/\n' +
      '(refusing to skip: a missing server must not look like a passing run)'
    );
  }
  if (!/^wss?:\/\//.test(url)) {
    throw new Error(`PEERPIGEON_URL must be a ws:// or wss:// URL, got ${JSON.stringify(url)}`);
  }
  return url.trim();
}

/** host:port of a URL, or null when it is not one. */
export function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * The gateways pages connect to (with ?token= when PEERPIGEON_AUTH_TOKEN is set). PEERPIGEON_URL is mandatory (a
 * failure that says how to set it, never a skip). PEERPIGEON_URL_2 counts when it names another host:port; with
 * PEERPIGEON_REQUIRE_TWO_GATEWAYS=1 its absence is a failure. `at(i)` spreads pages over the gateways in turn, so a
 * fleet run puts the meshes or pages across the cluster and a single-server run keeps them on one server.
 */
export function gateways() {
  const first = withToken(requireServerUrl());
  const raw = process.env.PEERPIGEON_URL_2?.trim() ?? '';
  if (raw !== '' && !/^wss?:\/\/[^/]/.test(raw)) throw new Error(`PEERPIGEON_URL_2 must be a ws:// or wss:// URL, got ${JSON.stringify(raw)}`);
  const second = raw !== '' && hostOf(raw) !== hostOf(first) ? withToken(raw) : null;
  if (process.env.PEERPIGEON_REQUIRE_TWO_GATEWAYS === '1' && !second) {
    throw new Error('PEERPIGEON_REQUIRE_TWO_GATEWAYS=1 needs PEERPIGEON_URL_2 set to a second gateway of the fleet, other ' +
      `than PEERPIGEON_URL (${hostOf(first)}); got PEERPIGEON_URL_2=${raw === '' ? '(unset)' : JSON.stringify(raw)}. ` +
      'A fleet from deploy/local/cluster.sh writes both to its fleet.env.');
  }
  const urls = second ? [first, second] : [first];
  return {
    urls,
    two: second !== null,
    at: (i) => urls[i % urls.length],
    describe: () => (second ? `pages spread over two gateways, ${hostOf(first)} and ${hostOf(second)}` : `all pages on ${hostOf(first)}`)
  };
}

/** Random lowercase hex string of `bytes` bytes. */
export function randomHex(bytes) {
  const b = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * Replaces console.{log,info,warn,error,debug,trace} with a buffer. The client library writes straight to
 * console in several places that DebugLogger does not control (e.g. SignalingHandler.js:21 logs every
 * signaling message). Set PEERPIGEON_TEST_VERBOSE=1 to let the output through live instead.
 */
export function captureConsole() {
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'];
  const saved = {};
  const lines = [];
  const t0 = Date.now();
  const live = process.env.PEERPIGEON_TEST_VERBOSE === '1';
  for (const m of methods) {
    saved[m] = console[m];
    console[m] = (...args) => {
      const line = `[+${String(Date.now() - t0).padStart(6)}ms console.${m}] ${format(...args)}`;
      lines.push(line);
      if (live) process.stderr.write(line + '\n');
    };
  }
  let restored = false;
  return {
    lines,
    restore() {
      if (restored) return;
      restored = true;
      for (const m of methods) console[m] = saved[m];
    },
    /** Writes the buffered output to stderr (used on failure). */
    dump(title = 'captured client console output') {
      process.stderr.write(`\n----- ${title} (${lines.length} lines) -----\n`);
      for (const l of lines) process.stderr.write(l + '\n');
      process.stderr.write(`----- end of ${title} -----\n`);
    }
  };
}

let loaded = null;

/**
 * Imports the official package and prepares WebRTC for a loopback-only machine. Idempotent.
 *
 * - Importing the package root (index.js) also imports server/index.js, which sets global.WebSocket = ws
 *   (server/index.js:10-11). SignalingClient needs that global on Node 20.
 * - `PeerPigeonMesh.init()` calls `environmentDetector.initWebRTCAsync()` but only logs a failure and carries on
 *   (PeerPigeonMesh.js:333-342, EnvironmentDetector.js:571-574); every connection attempt then fails with
 *   "WebRTC not supported". We call it ourselves first so a missing wrtc binary is a clear test failure.
 * - PeerConnection.createConnection hard-codes five Google STUN servers and iceCandidatePoolSize 10
 *   (PeerConnection.js:70-88). There is no option to change them, so we wrap the singleton PigeonRTC's
 *   createPeerConnection to pass `iceServers: []` (host candidates only; nothing leaves the machine) and a
 *   zero candidate pool (the pool costs file descriptors and is useless without servers). Every connection is
 *   also tracked for releaseNativeWebRTC (webrtc-teardown.mjs).
 * - Each connection gathers UDP and TCP host candidates on every address of the machine (here 127.0.0.1, ::1 and
 *   two on eth0) and pairs every remote one: a pair that does not complete at once (slow signaling, e.g. a fleet
 *   just started) keeps opening sockets, and ten meshes on a cold fleet hit the 20000 file descriptor limit
 *   (measured: 5000 fds after 1 s, 16000 after 10 s for 80 open connections; "epoll_create: Too many open
 *   files", then the process died). So a connection only uses the remote candidates on 127.0.0.1 over UDP and
 *   ignores the others (addIceCandidate resolves without adding them). The client still sends all of its
 *   candidates and the server relays them all; only what this machine's wrtc tries is narrowed.
 */
export async function loadOfficialClient() {
  if (loaded) return loaded;
  const pp = await import('peerpigeon');
  const { PeerPigeonMesh, environmentDetector, DebugLogger } = pp;
  if (typeof PeerPigeonMesh !== 'function') {
    throw new Error('the peerpigeon package does not export PeerPigeonMesh (expected peerpigeon@1.1.3)');
  }
  if (process.env.PEERPIGEON_TEST_DEBUG === '1') DebugLogger.enableAll();
  else DebugLogger.disableAll(); // the default, made explicit

  const webrtcOk = await environmentDetector.initWebRTCAsync();
  const rtc = environmentDetector.getPigeonRTC();
  if (!webrtcOk || !rtc) {
    throw new Error(
      'WebRTC could not be initialised for the official client (PigeonRTC/@koush/wrtc). ' +
      'Expected the override "@koush/wrtc": "npm:@roamhq/wrtc@0.10.0" in tests/node/package.json ' +
      'and `npm install --ignore-scripts` in tests/node.'
    );
  }
  if (!rtc.__loopbackOnly) {
    const original = rtc.createPeerConnection.bind(rtc);
    rtc.createPeerConnection = (config = {}) =>
      trackPeerConnection(loopbackCandidatesOnly(original({ ...config, iceServers: [], iceCandidatePoolSize: 0 })));
    rtc.__loopbackOnly = true;
  }
  loaded = pp;
  return pp;
}

const LOOPBACK_UDP = / udp \d+ 127\.0\.0\.1 \d+ typ /i;

/** Makes `pc` ignore remote ICE candidates other than UDP on 127.0.0.1 (see loadOfficialClient). Returns `pc`. */
function loopbackCandidatesOnly(pc) {
  const addIceCandidate = pc.addIceCandidate;
  pc.addIceCandidate = function loopbackAddIceCandidate(candidate, ...rest) {
    const text = typeof candidate === 'string' ? candidate : candidate?.candidate;
    if (text && !LOOPBACK_UDP.test(text)) return Promise.resolve();
    return addIceCandidate.call(this, candidate, ...rest);
  };
  return pc;
}

/**
 * Constructs a PeerPigeonMesh and records what it does.
 *
 * ConnectionManager's constructor starts a 2 s "stuck connection" interval whose handle is never stored
 * (ConnectionManager.js:33-34 and 1203-1210), so nothing in the library can clear it and the process would
 * never exit. We capture every interval created while the constructor runs and clear them in dispose().
 */
export function createRecordedMesh(pp, name, options) {
  const intervals = [];
  const realSetInterval = globalThis.setInterval;
  globalThis.setInterval = function trackedSetInterval(...args) {
    const handle = realSetInterval.apply(this, args);
    intervals.push(handle);
    return handle;
  };
  let mesh;
  try {
    mesh = new pp.PeerPigeonMesh(options);
  } finally {
    globalThis.setInterval = realSetInterval;
  }

  const recorder = new EventRecorder(name);
  for (const ev of ['statusChanged', 'peerDiscovered', 'peerConnected', 'peerDisconnected', 'messageReceived']) {
    mesh.addEventListener(ev, (data) => recorder.record(ev, data));
  }

  // The SignalingClient only exists after init(): once it does, also record the signaling traffic by type
  // (what the server delivered to this client after its network filter, and what the client sent).
  const originalInit = mesh.init.bind(mesh);
  mesh.init = async (...args) => {
    const result = await originalInit(...args);
    const sc = mesh.signalingClient;
    if (sc && !sc.__recorded) {
      sc.__recorded = true;
      sc.addEventListener('signalingMessage', (m) => recorder.record('signalingIn', {
        type: m?.type,
        from: m?.fromPeerId,
        peerId: m?.data?.peerId, // the subject of peer-discovered / peer-disconnected
        reason: m?.data?.reason
      }));
      const send = sc.sendSignalingMessage.bind(sc);
      sc.sendSignalingMessage = (message, ...rest) => {
        recorder.record('signalingOut', { type: message?.type });
        return send(message, ...rest);
      };
    }
    return result;
  };

  let disposed = false;
  return {
    name,
    mesh,
    recorder,
    /** Disconnects (goodbye + WebSocket close + WebRTC close) and clears the leaked timers. Idempotent. */
    dispose() {
      if (disposed) return;
      disposed = true;
      try {
        mesh.disconnect();
      } catch (err) {
        recorder.record('disposeError', { message: err?.message ?? String(err) });
      }
      for (const h of intervals) clearInterval(h);
    }
  };
}

// Also part of this module's API, kept in their own files: EventRecorder (what a mesh did, bounded waits over it),
// trackLibraryTimers and releaseNativeWebRTC (letting the process exit cleanly after the client and wrtc ran).
export { DEFAULT_WAIT_MS, EventRecorder } from './event-recorder.mjs';
export { releaseNativeWebRTC, trackLibraryTimers } from './webrtc-teardown.mjs';

/**
 * Runs `promise` with a bound; on timeout rejects with a message naming the step and, if `observed` is given,
 * what was observed so far (it is called at timeout time).
 */
export async function withTimeout(promise, ms, what, observed) {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          const seen = observed ? `\nObserved so far:\n${observed()}` : '';
          reject(new Error(`Timed out after ${ms} ms: ${what}${seen}`));
        }, ms);
      })
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** `wsUrl` with `?token=` when PEERPIGEON_AUTH_TOKEN is set (the official client keeps the URL's query). */
export function withToken(wsUrl) {
  const token = process.env.PEERPIGEON_AUTH_TOKEN;
  if (!token) return wsUrl;
  const withQuery = new URL(wsUrl);
  withQuery.searchParams.set('token', token);
  return withQuery.toString();
}
