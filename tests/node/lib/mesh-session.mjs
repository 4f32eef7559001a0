// One test's worth of official meshes with everything the reconnect tests watch: the client's console captured
// (shown on failure), its timers tracked, its signaling sockets probed (reconnect-probe.mjs), and each mesh's
// reconnect decisions recorded; close() undoes all of it, exitCleanly() is the `after` hook.

import { after } from 'node:test';
import {
  captureConsole,
  createRecordedMesh,
  loadOfficialClient,
  randomHex,
  releaseNativeWebRTC,
  trackLibraryTimers,
  withTimeout
} from './official-client.mjs';
import { installSignalingSocketProbe, recordReconnects } from './reconnect-probe.mjs';

const INIT_MS = 15_000;

/** `count` random peer ids in ascending order (their first hex digits are 1, 2, ...), so who initiates is known. */
export function ascendingPeerIds(count) {
  if (count > 15) throw new Error('ascendingPeerIds: at most 15');
  return Array.from({ length: count }, (_, i) => (i + 1).toString(16) + randomHex(20).slice(1));
}

async function openMeshSession() {
  const out = captureConsole();
  const timers = trackLibraryTimers();
  const meshes = [];
  let probe = null;
  const close = () => {
    for (const m of meshes) m.dispose();
    timers.release();
    probe?.restore();
    out.restore();
  };
  let pp;
  try {
    pp = await loadOfficialClient();
    probe = await installSignalingSocketProbe();
  } catch (err) {
    close();
    throw err;
  }
  const session = {
    probe,
    meshes,
    /** Every recorder, for the `context` of a wait. */
    get context() {
      return [probe.log, ...meshes.map((m) => m.recorder)];
    },
    observed: () => session.context.map((r) => r.summary()).join('\n'),
    /** A new official mesh, initialised, its reconnects recorded. */
    async addMesh(name, options) {
      const m = createRecordedMesh(pp, name, options);
      meshes.push(m);
      await withTimeout(m.mesh.init(), INIT_MS, `${name}.init()`, session.observed);
      recordReconnects(m);
      return m;
    },
    /** Connects `m` (its socket open and announce sent), bounded. */
    connect: (m, url) => withTimeout(m.mesh.connect(url), INIT_MS, `${m.name} to connect to ${url}`, session.observed),
    /** Shows the client's console output and every socket (call on failure, before close()). */
    dumpOnFailure() {
      out.restore();
      out.dump('peerpigeon client console output');
      process.stderr.write(`${probe.log.summary()}\n`);
    },
    close
  };
  return session;
}

let anyFailed = false;

/**
 * Runs `body(meshes)` with the client's console captured (shown only if the body fails) and the library's timers
 * tracked; every mesh the body pushes to `meshes` is disposed afterwards, whatever happened. A failure is remembered
 * for exitCleanly's exit code.
 */
export async function withMeshes(body) {
  const out = captureConsole();
  const timers = trackLibraryTimers(); // lets the process exit as soon as the test is done (webrtc-teardown.mjs)
  const meshes = [];
  try {
    return await body(meshes);
  } catch (err) {
    anyFailed = true;
    out.restore();
    out.dump('peerpigeon client console output');
    throw err;
  } finally {
    for (const m of meshes) m.dispose();
    timers.release();
    out.restore();
  }
}

/**
 * Runs `body(session)` with a fresh openMeshSession(): on failure its console output and sockets are shown (and the
 * failure is remembered for exitCleanly's exit code); the session is closed whatever happened.
 */
export async function withMeshSession(body) {
  let session;
  try {
    session = await openMeshSession();
    return await body(session);
  } catch (err) {
    anyFailed = true;
    session?.dumpOnFailure();
    throw err;
  } finally {
    session?.close();
  }
}

/**
 * Registers the `after` hook: runs `cleanup` (e.g. stopAllServers), then lets the WebRTC wrappers go while Node is
 * fully alive (see webrtc-teardown.mjs) and, should anything native still hold the event loop, exits after 15 s.
 */
export function exitCleanly(label, { cleanup = async () => {}, failed = () => anyFailed } = {}) {
  after(async () => {
    await cleanup();
    await releaseNativeWebRTC();
    setTimeout(() => {
      process.stderr.write(`${label}: forcing exit, still active: ${process.getActiveResourcesInfo().join(', ')}\n`);
      process.exit(failed() ? 1 : (process.exitCode ?? 0));
    }, 15_000).unref();
  });
}
