// The WebRTC connection graph of a group of official meshes (created with createRecordedMesh), and a bounded wait
// for connection targets over it. Two views of the same graph:
//   - what the client reports: a mesh is connected to a peer from its `peerConnected` (data channel open) until a
//     later `peerDisconnected`; free to evaluate, so it is re-checked on every recorded event;
//   - the channels themselves: the mesh's ConnectionManager holds a PeerConnection for the peer whose RTCDataChannel
//     is in readyState 'open' (what PeerConnection.getStatus() requires for 'connected'). Every read is a call into
//     wrtc (libwebrtc answers it on its signaling thread): reading all of them on every recorded event slowed ten
//     meshes' handshakes about fivefold (targets after 6-14 s instead of 1.5 s), so this view is read only when the
//     reported one meets the targets, to confirm it.
// An edge counts when both ends have it; one that only one end has (the other has not seen the open or the close
// yet) is listed as one-sided and does not count.

/** Peer ids this mesh has an open data channel with. */
export function openChannelPeers(mesh) {
  const ids = [];
  for (const [peerId, pc] of mesh.connectionManager.peers) {
    if (pc?.dataChannel?.readyState === 'open') ids.push(peerId);
  }
  return ids;
}

const reported = new WeakMap(); // recorder -> { seen: events folded so far, connected: Set }

/** Peer ids this mesh reports connected: a `peerConnected` not followed by a `peerDisconnected`. */
export function reportedPeers(recorded) {
  const events = recorded.recorder.events;
  let state = reported.get(recorded.recorder);
  if (!state) reported.set(recorded.recorder, (state = { seen: 0, connected: new Set() }));
  for (; state.seen < events.length; state.seen++) {
    const e = events[state.seen];
    if (e.type === 'peerConnected') state.connected.add(e.data?.peerId);
    else if (e.type === 'peerDisconnected') state.connected.delete(e.data?.peerId);
  }
  return [...state.connected];
}

/**
 * The graph of `recorded` (objects with `name`, `mesh`, `recorder`) in one view: `peersOf(r)` gives a mesh's peers
 * (default: its open channels, read from wrtc). Per-mesh degree, two-sided edges, one-sided ones, and the connected
 * components (by name) over two-sided edges among the group.
 */
export function meshGraph(recorded, peersOf = (r) => openChannelPeers(r.mesh)) {
  const byId = new Map(recorded.map((r) => [r.mesh.peerId, r]));
  const open = new Map(recorded.map((r) => [r.mesh.peerId, new Set(peersOf(r))]));
  const edges = [];
  const oneSided = [];
  for (const [a, peers] of open) {
    for (const b of peers) {
      const mutual = open.get(b)?.has(a) ?? false;
      if (!mutual) oneSided.push(`${byId.get(a).name}->${byId.get(b)?.name ?? b.slice(0, 8)}`);
      else if (a < b) edges.push([a, b]);
    }
  }
  const neighbours = new Map([...byId.keys()].map((id) => [id, []]));
  for (const [a, b] of edges) {
    neighbours.get(a).push(b);
    neighbours.get(b).push(a);
  }
  const components = [];
  const seen = new Set();
  for (const start of byId.keys()) {
    if (seen.has(start)) continue;
    const component = [];
    const stack = [start];
    seen.add(start);
    while (stack.length) {
      const id = stack.pop();
      component.push(byId.get(id).name);
      for (const next of neighbours.get(id)) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    components.push(component.sort());
  }
  const degree = new Map(recorded.map((r) => [r.name, open.get(r.mesh.peerId).size]));
  return { degree, edges, oneSided, components };
}

/** One line per mesh plus the components, for failure messages and diagnostics. */
export function describeGraph(graph) {
  const degrees = [...graph.degree].map(([name, d]) => `${name}:${d}`).join(' ');
  const components = graph.components.map((c) => `{${c.join(',')}}`).join(' ');
  const oneSided = graph.oneSided.length ? ` one-sided=[${graph.oneSided.join(' ')}]` : '';
  return `open channels per mesh: ${degrees}; ${graph.edges.length} edges; components: ${components}${oneSided}`;
}

/**
 * Every mesh's connection entries with their states (status / signaling state / data channel state) and what it
 * recorded, for the failure message of a wait that timed out.
 */
export function describeMeshes(recorded) {
  const names = new Map(recorded.map((r) => [r.mesh.peerId, r.name]));
  return recorded.map((r) => {
    const entries = [...r.mesh.connectionManager.peers].map(([id, pc]) =>
      `${names.get(id) ?? id.slice(0, 8)}:${pc.getStatus?.()}/${pc.connection?.signalingState ?? '-'}/${pc.dataChannel?.readyState ?? '-'}`);
    return `${r.recorder.summary()}\n  peers(${r.mesh.peerId.slice(0, 8)})=[${entries.join(' ')}]`;
  }).join('\n');
}

/** The reasons why `graph` misses the targets (empty when it meets them). */
export function targetMisses(graph, { minPeers, maxPeers }) {
  const misses = [];
  for (const [name, d] of graph.degree) {
    if (d < minPeers) misses.push(`${name} has ${d} < minPeers ${minPeers}`);
    if (d > maxPeers) misses.push(`${name} has ${d} > maxPeers ${maxPeers}`);
  }
  if (graph.components.length !== 1) misses.push(`graph has ${graph.components.length} components`);
  if (graph.oneSided.length) misses.push(`one-sided channels ${graph.oneSided.join(' ')}`);
  return misses;
}

/**
 * Resolves with the graph (channels view) once every mesh has between minPeers and maxPeers peers, all two-sided, in
 * one component, in both views (see above): the reported view is checked on every event of any mesh, the channels
 * view only when the reported one is met (and then every second while they disagree). Rejects after `timeoutMs` with
 * both views, what they miss, and every mesh's connection entries.
 */
export function waitForMeshTargets(recorded, { minPeers, maxPeers, timeoutMs }) {
  const targets = { minPeers, maxPeers };
  return new Promise((resolve, reject) => {
    let reported = null;
    let channels = null;
    const check = () => {
      reported = meshGraph(recorded, reportedPeers);
      if (targetMisses(reported, targets).length > 0) return;
      channels = meshGraph(recorded);
      if (targetMisses(channels, targets).length > 0) return;
      finish();
      resolve(channels);
    };
    const waiter = { check };
    const recheck = setInterval(() => reported && targetMisses(reported, targets).length === 0 && check(), 1000);
    const timer = setTimeout(() => {
      finish();
      const view = (name, graph) => `${name}: ${describeGraph(graph)}\n  missing: ${targetMisses(graph, targets).join('; ') || 'nothing'}`;
      reject(new Error(
        `Timed out after ${timeoutMs} ms waiting for every one of ${recorded.length} meshes to have ${minPeers}..${maxPeers} ` +
        `open data channels in one connected graph.\n${view('reported by the clients', meshGraph(recorded, reportedPeers))}\n` +
        `${view('channels', meshGraph(recorded))}\n${describeMeshes(recorded)}`
      ));
    }, timeoutMs);
    const finish = () => {
      clearInterval(recheck);
      clearTimeout(timer);
      for (const r of recorded) r.recorder.waiters.delete(waiter);
    };
    for (const r of recorded) r.recorder.waiters.add(waiter);
    check();
  });
}
