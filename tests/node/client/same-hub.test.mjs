// Our own rewrite of the check in upstream PeerPigeon's test/same-hub-peer-test.js: two official peerpigeon@1.1.3
// meshes on the same signaling server (PEERPIGEON_URL), in a `test-network`-like network (unique per run), created
// one after the other, discover each other and both report `peerConnected` within 15 s of the second one connecting
// (upstream's bound). As upstream, the meshes are built with the client's defaults (crypto and WebDHT on,
// maxPeers 3) and let the client generate their peer ids. Both use PEERPIGEON_URL even when PEERPIGEON_URL_2 is set:
// the point is the same hub. PEERPIGEON_AUTH_TOKEN: sent as ?token=.
//
//   PEERPIGEON_URL=ws://127.0.0.1:3000 node --test tests/node/client/same-hub.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  requireServerUrl,
  withToken,
  randomHex,
  loadOfficialClient,
  createRecordedMesh,
  withTimeout
} from '../lib/official-client.mjs';
import { exitCleanly, withMeshes } from '../lib/mesh-session.mjs';

const UPSTREAM_BOUND_MS = 15_000; // same-hub-peer-test.js: discovery and connection within 15 s
const SETUP_MS = 15_000; // init() (crypto keys) and connect() of one mesh; the client's own connect timeout is 10 s
const ID_PATTERN = /^[0-9a-f]{40}$/; // PeerPigeonMesh.generatePeerId: 20 random bytes as lowercase hex

test('two meshes on the same hub, created one after the other, discover and connect to each other within 15 s', (t) => withMeshes(async (meshes) => {
  const url = withToken(requireServerUrl());

  const pp = await loadOfficialClient();
  const network = `test-network-${randomHex(6)}`;
  const observed = () => meshes.map((m) => m.recorder.summary()).join('\n');

  // Peer 1 first: created, initialised and connected before peer 2 exists (as upstream).
  const peer1 = createRecordedMesh(pp, 'peer1', { networkName: network, ignoreEnvironmentErrors: true });
  meshes.push(peer1);
  await withTimeout(peer1.mesh.init(), SETUP_MS, 'peer1.init()', observed);
  await withTimeout(peer1.mesh.connect(url), SETUP_MS, `peer1 to connect to ${url}`, observed);

  const peer2 = createRecordedMesh(pp, 'peer2', { networkName: network, ignoreEnvironmentErrors: true });
  meshes.push(peer2);
  await withTimeout(peer2.mesh.init(), SETUP_MS, 'peer2.init()', observed);
  await withTimeout(peer2.mesh.connect(url), SETUP_MS, `peer2 to connect to ${url}`, observed);
  const secondConnectedAt = Date.now();

  const [id1, id2] = [peer1.mesh.peerId, peer2.mesh.peerId];
  assert.match(id1, ID_PATTERN, 'peer1 must have a client-generated id');
  assert.match(id2, ID_PATTERN, 'peer2 must have a client-generated id');
  assert.notEqual(id1, id2, 'the generated ids must differ');

  // Everything below must have happened within 15 s of peer2's connect() resolving: each wait gets what is left.
  const left = () => Math.max(0, UPSTREAM_BOUND_MS - (Date.now() - secondConnectedAt));
  const seen = (m, type, peerId, what) => m.recorder.waitFor(
    (r) => {
      const e = r.events.find((x) => x.type === type && x.data?.peerId === peerId);
      return e && { at: r.t0 + e.at - secondConnectedAt }; // when it happened, relative to peer2's connect
    },
    {
      expected: `${m.name} to ${what} within ${UPSTREAM_BOUND_MS} ms of peer2 connecting (in ${network})`,
      timeoutMs: left(),
      context: meshes.map((x) => x.recorder)
    }
  );
  const [d1, d2] = await Promise.all([
    seen(peer1, 'peerDiscovered', id2, `discover peer2 (${id2.slice(0, 8)})`),
    seen(peer2, 'peerDiscovered', id1, `discover peer1 (${id1.slice(0, 8)})`)
  ]);
  const [c1, c2] = await Promise.all([
    seen(peer1, 'peerConnected', id2, `report peerConnected for peer2 (${id2.slice(0, 8)})`),
    seen(peer2, 'peerConnected', id1, `report peerConnected for peer1 (${id1.slice(0, 8)})`)
  ]);
  const elapsed = Date.now() - secondConnectedAt;
  assert.ok(elapsed <= UPSTREAM_BOUND_MS, `discovery and connection took ${elapsed} ms, upstream allows ${UPSTREAM_BOUND_MS} ms`);
  t.diagnostic(`after peer2 connected: peer1 discovered peer2 at ${d1.at} ms, peer2 discovered peer1 at ${d2.at} ms; ` +
    `peerConnected at ${c1.at} ms (peer1) and ${c2.at} ms (peer2); bound ${UPSTREAM_BOUND_MS} ms`);
}));

// Lets the WebRTC wrappers go while Node is fully alive (wrtc would otherwise crash the process on exit), and exits
// anyway should anything native still hold the event loop (tests/node/lib/mesh-session.mjs).
exitCleanly('same-hub');
