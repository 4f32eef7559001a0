// In-page recorder of the browser test page (classic script, runs before the PeerPigeon bundle).
//
// It wraps the two browser APIs the client library uses to talk to the outside world, and records what happens on
// them in `window.__pp`; every record is also pushed to the test (the `__ppReport` binding, when the test exposed it):
//   * WebSocket: every frame the signaling server sent, *before* the client's own filtering. The library drops
//     frames whose networkName differs from its own and has no case for `error`, so its events alone could not
//     show a cross-network leak or a server error.
//   * RTCPeerConnection: the library hard-codes five Google STUN servers (PeerConnection.createConnection). This
//     machine has no internet and the tests must not send anything off it, so every connection is created with
//     `iceServers: []` (host candidates only; pages on one machine reach each other through them) and without a
//     candidate pool (useless without servers). Data channels are tracked so the page can count the open ones.

(() => {
  const t0 = Date.now();
  const params = new URLSearchParams(location.search);
  const pp = {
    name: params.get('name') || '?',
    peerId: params.get('peerId') || '',
    network: params.get('network') || '',
    server: params.get('server') || '',
    instance: Math.random().toString(16).slice(2, 10), // changes on every load of the page
    events: [],
    frames: [],
    sockets: [],
    channels: [],
    mesh: null
  };
  window.__pp = pp;

  const plain = (value) => {
    try {
      return value === undefined ? null : JSON.parse(JSON.stringify(value));
    } catch {
      return String(value);
    }
  };

  /** Records one event here and forwards it to the test; `data` must be JSON-able (it is copied). */
  pp.record = (type, data = {}) => {
    const event = { type, at: Date.now(), sinceLoad: Date.now() - t0, instance: pp.instance, data: plain(data) };
    pp.events.push(event);
    if (typeof window.__ppReport === 'function') {
      window.__ppReport(event).catch(() => {}); // the binding is gone while the page unloads; the log here remains
    }
    pp.render();
  };

  // --- WebSocket: record every signaling frame, both directions, and the socket's lifecycle.
  const NativeWebSocket = window.WebSocket;
  class RecordingWebSocket extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      const socket = { n: pp.sockets.length + 1, url: String(url), openedAt: null, closedAt: null, close: null };
      pp.sockets.push(socket);
      pp.record('wsCreated', { n: socket.n, url: socket.url });
      this.addEventListener('open', () => {
        socket.openedAt = Date.now();
        pp.record('wsOpen', { n: socket.n });
      });
      this.addEventListener('message', (event) => {
        let frame;
        try {
          frame = JSON.parse(typeof event.data === 'string' ? event.data : '');
        } catch {
          frame = { type: '(not JSON)', raw: String(event.data).slice(0, 200) };
        }
        pp.frames.push(frame);
        pp.record('frameIn', { n: socket.n, frame });
      });
      this.addEventListener('close', (event) => {
        socket.closedAt = Date.now();
        socket.close = { code: event.code, reason: event.reason, wasClean: event.wasClean };
        pp.record('wsClose', { n: socket.n, ...socket.close });
      });
      this.addEventListener('error', () => pp.record('wsError', { n: socket.n }));
    }

    send(data) {
      let frame;
      try {
        frame = JSON.parse(data);
      } catch {
        frame = { type: '(not JSON)' };
      }
      pp.record('frameOut', { type: frame.type, networkName: frame.networkName, targetPeerId: frame.targetPeerId });
      return super.send(data);
    }
  }
  window.WebSocket = RecordingWebSocket;

  // --- RTCPeerConnection: loopback-only ICE (see the header) and data-channel tracking.
  const NativeRTCPeerConnection = window.RTCPeerConnection;
  const track = (channel) => {
    const entry = { label: channel.label, state: channel.readyState };
    pp.channels.push(entry);
    const update = () => {
      entry.state = channel.readyState;
      pp.updateView();
    };
    channel.addEventListener('open', update);
    channel.addEventListener('close', update);
  };
  class LoopbackRTCPeerConnection extends NativeRTCPeerConnection {
    constructor(config = {}, ...rest) {
      super({ ...config, iceServers: [], iceCandidatePoolSize: 0 }, ...rest);
      this.addEventListener('datachannel', (event) => track(event.channel));
    }

    createDataChannel(...args) {
      const channel = super.createDataChannel(...args);
      track(channel);
      return channel;
    }
  }
  window.RTCPeerConnection = LoopbackRTCPeerConnection;
  pp.openChannels = () => pp.channels.filter((c) => c.state === 'open').length;

  // --- The page's current view (the library's connected peers, the open data channels), recorded as a `view` event
  // whenever it changes. The library's own events cannot tell it: a peer that evicts this one closes the channel
  // without a peerDisconnected event here.
  let lastView = '';
  pp.updateView = () => {
    const connected = pp.mesh ? pp.mesh.getPeers().filter((p) => p.status === 'connected').map((p) => p.peerId).sort() : [];
    const view = { connected, openChannels: pp.openChannels() };
    const key = JSON.stringify(view);
    if (key !== lastView) {
      lastView = key;
      pp.record('view', view);
    }
  };

  // --- What the test reads in one call.
  pp.snapshot = () => {
    const mesh = pp.mesh;
    const peers = mesh ? mesh.getPeers() : [];
    return {
      name: pp.name,
      instance: pp.instance,
      peerId: mesh?.peerId ?? null,
      network: mesh?.networkName ?? null,
      maxPeers: mesh?.maxPeers ?? null,
      minPeers: mesh?.minPeers ?? null,
      signalingConnected: !!mesh?.connected,
      connectedPeers: peers.filter((p) => p.status === 'connected').map((p) => p.peerId),
      peers,
      openChannels: pp.openChannels(),
      discovered: mesh ? mesh.getDiscoveredPeers().map((p) => p.peerId) : [],
      frames: pp.frames.length
    };
  };

  // --- A human-readable status, so that a screenshot shows what happened.
  const short = (id) => (typeof id === 'string' ? id.slice(0, 8) : String(id));
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  // The server URL as shown: an AUTH_TOKEN in it must not end up in a screenshot.
  const shownServer = () => {
    try {
      const url = new URL(pp.server);
      if (url.searchParams.has('token')) url.searchParams.set('token', 'hidden');
      return url.toString();
    } catch {
      return pp.server;
    }
  };
  let renderQueued = false;
  pp.render = () => {
    if (renderQueued) return;
    renderQueued = true;
    queueMicrotask(() => {
      renderQueued = false;
      const root = document.getElementById('status');
      if (!root) return;
      const s = pp.snapshot();
      const of = (type) => pp.events.filter((e) => e.type === type);
      const counts = {};
      for (const f of pp.frames) counts[f.type] = (counts[f.type] ?? 0) + 1;
      const sent = {};
      for (const e of of('frameOut')) sent[e.data.type] = (sent[e.data.type] ?? 0) + 1;
      const errors = of('frameIn').filter((e) => e.data.frame?.type === 'error').map((e) => e.data.frame.error +
        (e.data.frame.error === "Unsupported message type 'connection-rejected'"
          ? ' (the answer to this page\'s own connection-rejected, which the server does not relay: expected)' : ''))
        .concat(of('meshError').map((e) => `page: ${e.data.message}`));
      const row = (k, v) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`;
      root.innerHTML = `<h1>${esc(pp.name)}</h1><table>` +
        row('peer id', `<code>${esc(s.peerId ?? pp.peerId)}</code>`) +
        row('network', `<code>${esc(s.network ?? pp.network)}</code>`) +
        row('server', `<code>${esc(shownServer())}</code>`) +
        row('signaling', s.signalingConnected ? 'connected' : 'not connected') +
        row('sockets', pp.sockets.map((k) => `#${k.n} ${k.close ? `closed ${k.close.code} ${esc(k.close.reason)}` :
          k.openedAt ? 'open' : 'connecting'}`).join(', ')) +
        row('limits', `minPeers ${s.minPeers} / maxPeers ${s.maxPeers}`) +
        row('discovered', [...new Set(of('peerDiscovered').map((e) => short(e.data.peerId)))].join(', ') || '—') +
        row('connected', s.connectedPeers.map(short).join(', ') || '—') +
        row('open data channels', String(s.openChannels)) +
        row('frames from server', Object.entries(counts).map(([t, n]) => `${esc(t)}×${n}`).join(', ') || '—') +
        row('frames to server', Object.entries(sent).map(([t, n]) => `${esc(t)}×${n}`).join(', ') || '—') +
        row('messages', of('messageReceived').map((e) => `${short(e.data.from)}: ${esc(JSON.stringify(e.data.content))}` +
          (e.data.direct ? ' (direct)' : ' (broadcast)')).join('<br>') || '—') +
        row('errors', errors.map(esc).join('<br>') || 'none') +
        `</table><p class="meta">page instance ${pp.instance}, loaded ${new Date(t0).toISOString()}</p>`;
    });
  };
  addEventListener('DOMContentLoaded', pp.render);
  // The unload time of the previous page in this tab survives the reload in sessionStorage (a report sent while the
  // page unloads does not reliably reach the test), so the next instance can report it.
  addEventListener('pagehide', () => {
    sessionStorage.setItem('__ppUnloadedAt', String(Date.now()));
    pp.record('pagehide', {});
  });
  const previousUnloadAt = Number(sessionStorage.getItem('__ppUnloadedAt')) || null;
  sessionStorage.removeItem('__ppUnloadedAt');
  pp.record('pageLoaded', { url: location.href, previousUnloadAt });
})();
