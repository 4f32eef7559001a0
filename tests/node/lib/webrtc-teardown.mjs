// Lets a process that ran the official client and @roamhq/wrtc (0.10.0) exit cleanly: trackLibraryTimers (below)
// clears the timers the client leaks, releaseNativeWebRTC keeps wrtc from dying in Node's environment teardown.
//
// The crash: any RTCPeerConnection (or RTCRtpReceiver) wrapper still alive when Node frees the environment is
// finalised after N-API is gone; its destructor drops its data channels' references and the process aborts
// (SIGABRT: std::terminate from ~RefPtr<RTCDataChannel> in ~RTCPeerConnection, via Environment::RunCleanup) or
// crashes (SIGSEGV in napi_reference_unref from ~RTCRtpReceiver). Seen in 4 of 8 runs of ten meshes.
//
// Why wrappers survive: wrtc keeps the promise of an operation (setRemoteDescription, createAnswer, addIceCandidate,
// ...) in a global handle until the operation settles, and an operation still running when its connection is closed
// never settles. The client awaits these promises (SignalingHandler.handleOffer, ConnectionManager
// .processPendingIceCandidates), so the suspended async function, its PeerConnection and the RTCPeerConnection stay
// reachable from that global handle for ever (found with a heap snapshot: 7-26 of ~110 connections per ten-mesh run).
//
// Likewise a data channel that never reached 'closed' is held by a global handle, and its handlers (onmessage, ...)
// reach the client's PeerConnection.
//
// The remedy: trackPeerConnection() gives every promise-returning method a stand-in promise that is settled from the
// native one through a holder, and remembers the connection and its data channels. releaseNativeWebRTC() empties
// the holders and clears the handlers, which cuts every chain from a global handle to the client (the client's code
// is never resumed, so it behaves exactly as before), then collects garbage until every tracked connection is gone,
// while Node is still fully alive. Measured: 0 crashes in 10 runs of ten meshes, every connection collected.

const PROMISE_METHODS = [
  'createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate', 'getStats'
];

const CHANNEL_HANDLERS = ['onopen', 'onmessage', 'onclose', 'onclosing', 'onerror', 'onbufferedamountlow'];
const CONNECTION_HANDLERS = [
  'onicecandidate', 'onicecandidateerror', 'onconnectionstatechange', 'ondatachannel', 'oniceconnectionstatechange',
  'onicegatheringstatechange', 'onnegotiationneeded', 'onsignalingstatechange', 'ontrack'
];

const pending = new Set(); // holders of operations that have not settled yet
const tracked = []; // WeakRef of every RTCPeerConnection handed to the client
const channels = []; // WeakRef of every RTCDataChannel of those connections

/** Wraps `pc`'s promise-returning methods (see above) and remembers `pc` for releaseNativeWebRTC(). Returns `pc`. */
export function trackPeerConnection(pc) {
  for (const name of PROMISE_METHODS) {
    const original = pc[name];
    if (typeof original !== 'function') continue;
    pc[name] = function detachableOperation(...args) {
      const result = original.apply(this, args);
      if (!result || typeof result.then !== 'function') return result;
      return new Promise((resolve, reject) => {
        const holder = { resolve, reject };
        pending.add(holder);
        result.then(
          (value) => {
            pending.delete(holder);
            holder.resolve?.(value);
          },
          (error) => {
            pending.delete(holder);
            holder.reject?.(error);
          }
        );
      });
    };
  }
  const createDataChannel = pc.createDataChannel;
  if (typeof createDataChannel === 'function') {
    pc.createDataChannel = function trackedCreateDataChannel(...args) {
      const channel = createDataChannel.apply(this, args);
      if (channel) channels.push(new WeakRef(channel));
      return channel;
    };
  }
  pc.addEventListener?.('datachannel', (event) => {
    if (event?.channel) channels.push(new WeakRef(event.channel));
  });
  tracked.push(new WeakRef(pc));
  return pc;
}

/** How many tracked connections are still alive. */
function liveCount() {
  let live = 0;
  for (const ref of tracked) if (ref.deref() !== undefined) live += 1;
  return live;
}

/**
 * Detaches every unsettled operation and collects garbage until every RTCPeerConnection created since the process
 * started is gone (bounded: 40 rounds, about 2 s). Call it once every mesh has been disposed, the library timers are
 * released and the test's own references are out of scope, e.g. in an `after` hook. Writes a warning to stderr if
 * some connections are still alive at the end (the process may then crash on exit).
 */
export async function releaseNativeWebRTC() {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  const gc = globalThis.gc ?? (setFlagsFromString('--expose-gc'), runInNewContext('gc'));
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // N-API finalisers run deferred (after the GC that found the object dead), hence the ticks in between; the
  // pauses let wrtc deliver the last events of connections closed during dispose. Detaching is repeated every
  // round because such an event can still reach a handler (e.g. a late `datachannel` gets the client's handlers).
  // WeakRef.deref() keeps its target alive until the current job ends, so every gc() runs in a later job than the
  // last deref (detachEverything, liveCount).
  let live = Infinity;
  for (let round = 0; round < 40 && (round < 3 || live > 0); round++) {
    detachEverything();
    await tick();
    gc();
    await tick();
    live = liveCount();
    if (live > 0 && round >= 2) await pause(50);
  }
  await tick();
  for (let i = 0; i < 2; i++) {
    gc();
    await tick();
  }
  if (live > 0) {
    process.stderr.write(`releaseNativeWebRTC: ${live} of ${tracked.length} RTCPeerConnections are still reachable; ` +
      'the process may crash on exit (see tests/node/lib/webrtc-teardown.mjs)\n');
  }
}

/** Cuts every path from wrtc's global handles (pending operations, open channels) back to the client's objects. */
function detachEverything() {
  for (const holder of pending) {
    holder.resolve = null;
    holder.reject = null;
  }
  pending.clear();
  for (const [refs, handlers] of [[tracked, CONNECTION_HANDLERS], [channels, CHANNEL_HANDLERS]]) {
    for (const ref of refs) {
      const target = ref.deref();
      if (!target) continue;
      for (const handler of handlers) target[handler] = null;
      target._listeners = {}; // wrtc's EventTarget keeps addEventListener listeners here
    }
  }
}

/**
 * Tracks the timers that the client library itself creates (the direct caller's file is under
 * node_modules/peerpigeon/) from now until release().
 *
 * PeerConnection wraps each WebRTC step in `Promise.race([step, new Promise((_, reject) => setTimeout(reject, N))])`
 * and never clears the losing timer (PeerConnection.js:486, 493, 546, 558, 565, 634 with 10 s; 685 and 707 with
 * 5 s per ICE candidate). They keep the process alive for ~10 s after the test and, through their closures,
 * keep the closed RTCPeerConnections reachable (which matters for releaseNativeWebRTC).
 * release() clears every library timeout and interval (the leaked 2 s monitor, ConnectionManager.js:1205,
 * among them) and restores the globals. Call it only after every mesh has been disconnected.
 */
export function trackLibraryTimers() {
  const realSetTimeout = globalThis.setTimeout;
  const realSetInterval = globalThis.setInterval;
  const timeouts = [];
  const intervals = [];
  const fromLibrary = () => {
    const frames = (new Error().stack ?? '').split('\n');
    // frames[0] = "Error", [1] = fromLibrary, [2] = our wrapper, [3] = the caller of setTimeout/setInterval
    return (frames[3] ?? '').includes('/node_modules/peerpigeon/');
  };
  globalThis.setTimeout = function trackedSetTimeout(...args) {
    const h = realSetTimeout.apply(this, args);
    if (fromLibrary()) timeouts.push(h);
    return h;
  };
  globalThis.setInterval = function trackedSetInterval(...args) {
    const h = realSetInterval.apply(this, args);
    if (fromLibrary()) intervals.push(h);
    return h;
  };
  let released = false;
  return {
    get counts() {
      return { timeouts: timeouts.length, intervals: intervals.length };
    },
    release() {
      if (released) return;
      released = true;
      globalThis.setTimeout = realSetTimeout;
      globalThis.setInterval = realSetInterval;
      for (const h of intervals) clearInterval(h);
      for (const h of timeouts) clearTimeout(h);
    }
  };
}
