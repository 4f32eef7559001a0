// The WebRTC connection graph of a group of official meshes (created with createRecordedMesh), as the meshes
// themselves see it, and bounded waits over it.
//
// An edge is an open data channel: the mesh's ConnectionManager holds a PeerConnection for the other peer whose
// RTCDataChannel is in readyState 'open' (the state that PeerConnection.getStatus() also requires for 'connected').
// Edges are counted from both ends; an edge that only one end reports (the other side has not seen the open or close
// yet) is listed as one-sided and does not count for connectivity.

/** Peer ids this mesh has an open data channel with. */
export function openChannelPeers(mesh) {
  const ids = [];
  for (const [peerId, pc] of mesh.connectionManager.peers) {
    if (pc?.dataChannel?.readyState === 'open') ids.push(peerId);
  }
  return ids;
}

/**
 * A snapshot of the graph of `recorded` (objects with `name` and `mesh`): per-mesh open channels, the two-sided
 * edges, the one-sided ones, and the connected components (by name) over two-sided edges among the group.
 */
export function meshGraph(recorded) {
  const byId = new Map(recorded.map((r) => [r.mesh.peerId, r]));
  const open = new Map(recorded.map((r) => [r.mesh.peerId, new Set(openChannelPeers(r.mesh))]));
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
 * Resolves with the first graph snapshot of `recorded` that meets the targets (every mesh has between minPeers and
 * maxPeers open channels, all channels two-sided, one component), polled every `intervalMs`. Not re-checked on every
 * recorded event: each snapshot reads every channel's state from wrtc, and doing that on every event slowed the
 * handshakes of ten meshes about tenfold (targets after 6-14 s instead of 1.5 s). Rejects after `timeoutMs` with the
 * last snapshot and what it missed.
 */
export function waitForMeshTargets(recorded, { minPeers, maxPeers, timeoutMs, intervalMs = 250 }) {
  return new Promise((resolve, reject) => {
    let last = null;
    const check = () => {
      last = meshGraph(recorded);
      if (targetMisses(last, { minPeers, maxPeers }).length === 0) {
        finish();
        resolve(last);
      }
    };
    const poll = setInterval(check, intervalMs);
    const timer = setTimeout(() => {
      finish();
      const graph = last ?? meshGraph(recorded);
      reject(new Error(
        `Timed out after ${timeoutMs} ms waiting for every one of ${recorded.length} meshes to have ${minPeers}..${maxPeers} ` +
        `open data channels in one connected graph.\nObserved: ${describeGraph(graph)}\n` +
        `Missing: ${targetMisses(graph, { minPeers, maxPeers }).join('; ')}`
      ));
    }, timeoutMs);
    const finish = () => {
      clearInterval(poll);
      clearTimeout(timer);
    };
    check();
  });
}
