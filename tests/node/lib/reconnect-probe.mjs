// Watches the official client's signaling reconnects from the outside: every WebSocket it creates (when, opened,
// closed with which code and reason) and every reconnect it schedules (attempt, delay, and the state it decided on),
// and computes the client's own backoff window for a rejoin.
//
// The client's rule (SignalingClient.attemptReconnect, peerpigeon 1.1.3): a close or error that was not a deliberate
// disconnect schedules attempt n = reconnectAttempts + 1 after min(1000·2^(n-1)·k, cap) ms, where k = 3 and cap =
// 300 s if the mesh has connected WebRTC peers, else k = 1 and cap = 30 s (after 10 attempts: 60 s / 600 s). A
// socket that opens resets reconnectAttempts to 0, so a server that accepts and then closes (1008 on a duplicate id)
// is retried at attempt 1 every time. A call while a reconnect is already scheduled does nothing.

import { EventRecorder } from './event-recorder.mjs';

/** A reconnecting client must be back in its mesh within its own backoff window plus this. */
export const REJOIN_SLACK_MS = 2000;

// Orders socket creations and reconnect decisions that happen within the same millisecond (a refused connection is
// created, closed and followed by the next reconnect decision in well under one).
let sequence = 0;

/** The delay the client schedules for attempt `attempt` (1-based) with `connectedPeers` WebRTC peers. */
export function clientReconnectDelay(attempt, connectedPeers) {
  const healthy = connectedPeers > 0;
  if (attempt > 10) return healthy ? 600_000 : 60_000;
  return Math.min(1000 * 2 ** (attempt - 1) * (healthy ? 3 : 1), healthy ? 300_000 : 30_000);
}

/**
 * Replaces globalThis.WebSocket (the `ws` class, which importing peerpigeon installs as the global in Node 20) by a
 * subclass that records every socket. `controlPongsOfNextSocket(peerId)`: that peer's next socket is created with
 * `autoPong: false` and the probe answers the server's pings for it until `stopAnsweringPings(peerId)`, after which
 * the socket stays open but silent (a client whose network went quiet). Call after loadOfficialClient(); restore()
 * puts the original class back.
 */
export async function installSignalingSocketProbe() {
  const { WebSocket: WsClass } = await import('ws');
  const Base = globalThis.WebSocket;
  if (Base !== WsClass) {
    throw new Error('globalThis.WebSocket is not the `ws` package\'s class: the official client would use another ' +
      'WebSocket implementation, which has no autoPong option (peerpigeon sets the global only when none exists; ' +
      `Node ${process.version} has ${Base?.name ?? 'none'}). Run these tests on Node 20, or without a global WebSocket.`);
  }
  const sockets = [];
  const controlled = new Set();
  const log = new EventRecorder('signaling sockets');
  log.summary = () => `signaling sockets:\n${sockets.map(describeSocket).join('\n') || '  (none)'}`;

  class ProbedWebSocket extends Base {
    constructor(url, protocols, options) {
      const peerId = new URL(url).searchParams.get('peerId');
      const pongsByProbe = controlled.delete(peerId);
      super(url, protocols, pongsByProbe ? { ...options, autoPong: false } : options);
      const record = { peerId, index: sockets.filter((s) => s.peerId === peerId).length, seq: ++sequence, pongsByProbe,
        answersPings: true, createdAt: Date.now(), openedAt: null, closed: null, errors: [] };
      sockets.push(record);
      // Registered before the client sets onopen/onclose, so these run first: the record is complete by the time
      // the client reacts (e.g. schedules its reconnect).
      this.on('open', () => {
        record.openedAt = Date.now();
        log.record('open', record);
      });
      if (pongsByProbe) this.on('ping', (data) => record.answersPings && this.pong(data));
      this.on('error', (err) => record.errors.push(err?.code ?? err?.message ?? String(err)));
      this.on('close', (code, reason) => {
        record.closed = { at: Date.now(), code, reason: reason.toString() };
        log.record('close', record);
      });
      log.record('created', record);
    }
  }
  globalThis.WebSocket = ProbedWebSocket;

  const of = (peerId) => sockets.filter((s) => s.peerId === peerId);
  return {
    sockets,
    log,
    /** Sockets of `peerId`, oldest first. */
    of,
    controlPongsOfNextSocket: (peerId) => controlled.add(peerId),
    /** The latest socket of `peerId` (one created under controlPongsOfNextSocket) stops answering pings. */
    stopAnsweringPings(peerId) {
      const socket = of(peerId).at(-1);
      if (!socket?.pongsByProbe) throw new Error(`stopAnsweringPings: the latest socket of ${peerId} is not under the probe's control`);
      socket.answersPings = false;
      socket.quietSince = Date.now();
      return socket;
    },
    /** Bounded wait for `predicate(sockets)`; the failure shows every socket and the `context` recorders. */
    waitFor: (predicate, { expected, timeoutMs, context = [] }) =>
      log.waitFor(() => predicate(sockets), { expected, timeoutMs, context: [log, ...context] }),
    restore() {
      if (globalThis.WebSocket === ProbedWebSocket) globalThis.WebSocket = Base;
    }
  };
}

function describeSocket(s) {
  const at = (t) => (t ? new Date(t).toISOString().slice(11, 23) : '-');
  const closed = s.closed ? `closed ${at(s.closed.at)} ${s.closed.code} ${JSON.stringify(s.closed.reason)}` : 'open/connecting';
  return `  ${s.peerId.slice(0, 8)}#${s.index}${s.answersPings ? '' : ` (no pongs since ${at(s.quietSince)})`}: created ${at(s.createdAt)}, ` +
    `opened ${at(s.openedAt)}, ${closed}${s.errors.length ? `, errors ${s.errors.join(',')}` : ''}`;
}

/**
 * Records, in the mesh's recorder as 'reconnect' events, every call of its SignalingClient.attemptReconnect: the
 * state it decided on (reconnectAttempts, whether one was already scheduled, connected WebRTC peers) and what it
 * scheduled (from the client's own `reconnecting` status: attempt and delay). Call after mesh.init().
 */
export function recordReconnects(recorded) {
  const { mesh, recorder } = recorded;
  const sc = mesh.signalingClient;
  if (!sc) throw new Error(`${recorded.name}: recordReconnects needs mesh.init() first (no SignalingClient yet)`);
  const original = sc.attemptReconnect;
  sc.attemptReconnect = function recordedAttemptReconnect(...args) {
    const before = {
      attempts: sc.reconnectAttempts,
      alreadyScheduled: sc.isReconnecting,
      connectedPeers: mesh.connectionManager.getConnectedPeerCount()
    };
    let scheduled = null;
    const listener = (status) => {
      if (status?.type === 'reconnecting') scheduled = { attempt: status.attempt, delay: status.delay };
    };
    sc.addEventListener('statusChanged', listener);
    try {
      return original.apply(this, args);
    } finally {
      sc.removeEventListener('statusChanged', listener);
      recorder.record('reconnect', { ...before, at: Date.now(), seq: ++sequence, scheduled });
    }
  };
}

/** The reconnects `recorded` scheduled (not the calls that found one already scheduled), oldest first. */
export function scheduledReconnects(recorded) {
  return recorded.recorder.of('reconnect').filter((r) => r.scheduled);
}

/**
 * The client's backoff window for a rejoin after `dropped` (one of probe.sockets, closed by the server): the sockets
 * its peer created after it, up to and including the first one that opened and stayed open, each with the reconnect
 * that led to it (the last one the client scheduled before creating it, and after creating `dropped`). window = the
 * sum of those delays. Each delay is checked against clientReconnectDelay (the rule above) for the state the client
 * decided on. Throws, with everything seen, when the chain is incomplete or breaks the rule.
 */
export function rejoinWindow(probe, recorded, dropped) {
  const reconnects = scheduledReconnects(recorded);
  const steps = [];
  for (const socket of probe.of(dropped.peerId).filter((s) => s.seq > dropped.seq)) {
    const cause = reconnects.filter((r) => r.seq < socket.seq).at(-1);
    if (!cause || cause.seq < dropped.seq) {
      throw new Error(`${recorded.name}: socket #${socket.index} was created without a reconnect scheduled after ` +
        `socket #${dropped.index} was dropped\n${probe.log.summary()}\nreconnects: ${JSON.stringify(reconnects)}`);
    }
    const expected = clientReconnectDelay(cause.scheduled.attempt, cause.connectedPeers);
    if (cause.scheduled.delay !== expected || cause.scheduled.attempt !== cause.attempts + 1) {
      throw new Error(`${recorded.name}: the client scheduled attempt ${cause.scheduled.attempt} (counter was ` +
        `${cause.attempts}) with ${cause.scheduled.delay} ms and ${cause.connectedPeers} connected peers; the rule ` +
        `gives attempt ${cause.attempts + 1} with ${expected} ms`);
    }
    steps.push({ socket: socket.index, attempt: cause.scheduled.attempt, delay: cause.scheduled.delay,
      peers: cause.connectedPeers, firedAfter: socket.createdAt - cause.at, opened: socket.openedAt !== null,
      outcome: socket.closed ? `${socket.closed.code}${socket.closed.reason ? ` ${socket.closed.reason}` : ''}` : 'open' });
    if (socket.openedAt !== null && !socket.closed) break;
  }
  const last = steps.at(-1);
  if (!last || last.outcome !== 'open') {
    throw new Error(`${recorded.name}: no socket opened (and stayed open) after socket #${dropped.index} was dropped\n${probe.log.summary()}`);
  }
  return { window: steps.reduce((sum, s) => sum + s.delay, 0), steps };
}

/** "attempt 1: 3000 ms (1 peer) -> 1006" ..., for diagnostics. */
export function describeSteps(steps) {
  return steps.map((s) => `attempt ${s.attempt}: ${s.delay} ms (${s.peers} peer${s.peers === 1 ? '' : 's'}, fired after ` +
    `${s.firedAfter} ms) -> ${s.outcome}`).join('; ');
}

/**
 * A predicate for EventRecorder.waitFor: the first frame of `type` about `peerId` (data.peerId) that the mesh
 * received from the server at or after `since` (Date.now() ms). Yields { at, reason }.
 */
export function receivedAbout(type, peerId, since = 0) {
  return (r) => {
    const e = r.events.find((x) => x.type === 'signalingIn' && x.data?.type === type && x.data?.peerId === peerId &&
      r.t0 + x.at >= since);
    return e && { at: r.t0 + e.at, reason: e.data.reason };
  };
}

/** When the mesh first sent a frame of `type` to the server at or after `since`, or undefined. */
export function sentAt(recorded, type, since = 0) {
  const r = recorded.recorder;
  const e = r.events.find((x) => x.type === 'signalingOut' && x.data?.type === type && r.t0 + x.at >= since);
  return e && r.t0 + e.at;
}
