// The browser test page's client (classic script, runs after recorder.js and the PeerPigeon bundle, which sets
// window.PeerPigeonMesh). Everything comes from the query string:
//   name, peerId (40 hex, so a reload keeps the id), network, server (ws:// URL, with ?token= when needed),
//   maxPeers, minPeers (omitted = the library's defaults).
// Options as in the Node tests: no WebDHT, no crypto (plain messages), and no fallback to the "global" network, so
// a page stays in the test's private network.

(async () => {
  const pp = window.__pp;
  const params = new URLSearchParams(location.search);
  const number = (key) => (params.has(key) ? Number(params.get(key)) : undefined);
  try {
    if (typeof window.PeerPigeonMesh !== 'function') {
      throw new Error('window.PeerPigeonMesh is missing: the browser bundle (peerpigeon-browser.js) did not load');
    }
    // The library logs through DebugLogger, off by default. Turn on the signaling client's module so that its
    // errors (socket errors, failed sends and reconnects, unparsable frames) reach the console the test watches.
    if (typeof window.PeerPigeon?.DebugLogger?.enable !== 'function') {
      throw new Error('the browser bundle exports no DebugLogger (window.PeerPigeon.DebugLogger)');
    }
    window.PeerPigeon.DebugLogger.enable('SignalingClient');
    const options = {
      peerId: pp.peerId,
      networkName: pp.network,
      enableWebDHT: false,
      enableCrypto: false,
      allowGlobalFallback: false
    };
    if (number('maxPeers') !== undefined) options.maxPeers = number('maxPeers');
    if (number('minPeers') !== undefined) options.minPeers = number('minPeers');

    const mesh = new window.PeerPigeonMesh(options);
    pp.mesh = mesh;
    for (const type of ['statusChanged', 'peerDiscovered', 'peerConnected', 'peerDisconnected']) {
      mesh.addEventListener(type, (data) => pp.record(type, data));
    }
    for (const type of ['peerConnected', 'peerDisconnected', 'peerEvicted', 'peersUpdated']) {
      mesh.addEventListener(type, () => pp.updateView());
    }
    mesh.addEventListener('messageReceived', (data) => pp.record('messageReceived', {
      from: data?.from, content: data?.content, direct: data?.direct, messageId: data?.messageId
    }));

    await mesh.init();
    pp.record('meshInitialized', {
      peerId: mesh.peerId, network: mesh.networkName, maxPeers: mesh.maxPeers, minPeers: mesh.minPeers,
      enableWebDHT: mesh.enableWebDHT, enableCrypto: mesh.enableCrypto, allowGlobalFallback: mesh.allowGlobalFallback,
      webDHT: mesh.webDHT !== null, cryptoManager: mesh.cryptoManager !== null
    });
    await mesh.connect(pp.server);
    pp.record('meshConnected', {});
  } catch (err) {
    pp.record('meshError', { message: err?.message ?? String(err) });
  }
})();

/** Called by the test: a direct message over the data channel; resolves with the library's message id. */
window.__ppSendDirect = async (targetPeerId, content) => window.__pp.mesh.sendDirectMessage(targetPeerId, content);

/** Called by the test: a broadcast (gossip) message; resolves with the library's message id. */
window.__ppBroadcast = async (content) => window.__pp.mesh.sendMessage(content);

/** Called by the test: a `ping` through the client's own signaling socket (the server answers `pong`). */
window.__ppPing = async () => window.__pp.mesh.signalingClient.sendSignalingMessage({ type: 'ping', data: { timestamp: Date.now() } });
