// Two official peerpigeon@1.1.3 clients (PeerPigeonMesh, real WebRTC via @roamhq/wrtc) meet through the
// signaling server at PEERPIGEON_URL, open a WebRTC data channel, and exchange a direct message each way.
// With PEERPIGEON_URL_2 (another gateway of the same fleet) B connects there, so discovery, the offer/answer/ICE relay
// and the data channel all cross the cluster; tests/node/fleet/ runs it that way and requires two gateways
// (PEERPIGEON_REQUIRE_TWO_GATEWAYS=1). PEERPIGEON_AUTH_TOKEN: the server's AUTH_TOKEN, sent as ?token=.
//
//   PEERPIGEON_URL=ws://127.0.0.1:3000 node --test tests/node/client/
//
// Options: PEERPIGEON_TEST_VERBOSE=1 shows the client's console output live (it is otherwise printed only on
// failure); PEERPIGEON_TEST_DEBUG=1 also turns on the library's DebugLogger modules (very chatty).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  randomHex,
  loadOfficialClient,
  createRecordedMesh,
  withTimeout,
  DEFAULT_WAIT_MS,
  gateways
} from '../lib/official-client.mjs';
import { exitCleanly, withMeshes } from '../lib/mesh-session.mjs';

const WAIT_MS = DEFAULT_WAIT_MS; // every wait below is bounded by this
const CONNECT_MS = 15_000; // SignalingClient has its own 10 s connect timeout; this bounds it from outside

// Fixed, distinct, valid (^[a-fA-F0-9]{40}$) peer ids. The network name is unique per run, so other runs
// or other tests on the same server cannot interfere with discovery.
const ID_A = '7e57a11ce0'.repeat(4);
const ID_B = '7e57b0b000'.repeat(4);

test('two official peerpigeon@1.1.3 clients connect over WebRTC and exchange direct messages both ways', () => withMeshes(async (meshes) => {
  // 1. The server URL is mandatory: fail (never skip) without it. B takes the second gateway when there is one.
  const gw = gateways();
  const [url, urlB] = [gw.at(0), gw.at(1)];

  const pp = await loadOfficialClient();
  const network = `it-${randomHex(6)}`;
  const common = {
    networkName: network,
    enableWebDHT: false,
    enableCrypto: false,
    allowGlobalFallback: false, // stay in our private network; never wander into "global"
    maxPeers: 3
  };

  const a = createRecordedMesh(pp, 'A', { ...common, peerId: ID_A });
  meshes.push(a);
  const b = createRecordedMesh(pp, 'B', { ...common, peerId: ID_B });
  meshes.push(b);
  const both = [a.recorder, b.recorder];

  const observedBoth = () => both.map((r) => r.summary()).join('\n');
  await withTimeout(
    Promise.all([a.mesh.init(), b.mesh.init()]),
    WAIT_MS,
    'PeerPigeonMesh.init() of A and B',
    observedBoth
  );
  assert.equal(a.mesh.peerId, ID_A, 'mesh A must use the peer id it was given');
  assert.equal(b.mesh.peerId, ID_B, 'mesh B must use the peer id it was given');

  // 2. Connect both to the server. connect() resolves once the socket is open and `announce` is sent.
  //    (If the server refuses the TCP connection, 1.1.3's connect() never settles: the client just keeps
  //    reconnecting. Hence the outer bound.)
  await withTimeout(a.mesh.connect(url), CONNECT_MS, `A to open its signaling WebSocket to ${url}`, observedBoth);
  await withTimeout(b.mesh.connect(urlB), CONNECT_MS, `B to open its signaling WebSocket to ${urlB}`, observedBoth);

  // 3. Discovery (server `peer-discovered`, each side learns of the other).
  const hasEvent = (type, peerId) => (r) => r.of(type).some((d) => d?.peerId === peerId);
  await Promise.all([
    a.recorder.waitFor(hasEvent('peerDiscovered', ID_B), {
      expected: `A (${ID_A.slice(0, 8)}) to discover B (${ID_B.slice(0, 8)}) in network ${network}`,
      timeoutMs: WAIT_MS,
      context: both
    }),
    b.recorder.waitFor(hasEvent('peerDiscovered', ID_A), {
      expected: `B (${ID_B.slice(0, 8)}) to discover A (${ID_A.slice(0, 8)}) in network ${network}`,
      timeoutMs: WAIT_MS,
      context: both
    })
  ]);

  // 4. WebRTC: offer/answer/ICE relayed by the server; `peerConnected` fires when the data channel is open.
  await Promise.all([
    a.recorder.waitFor(hasEvent('peerConnected', ID_B), {
      expected: 'A to report B as connected (peerConnected: data channel open)',
      timeoutMs: WAIT_MS,
      context: both
    }),
    b.recorder.waitFor(hasEvent('peerConnected', ID_A), {
      expected: 'B to report A as connected (peerConnected: data channel open)',
      timeoutMs: WAIT_MS,
      context: both
    })
  ]);

  // 5. Direct messages over the data channel, both directions, exact content.
  const exchange = async (from, to, fromId, toId, content) => {
    const gotIt = to.recorder.waitFor(
      (r) => r.of('messageReceived').find((m) => m?.from === fromId && m?.content === content),
      {
        expected: `${to.name} to receive the direct message ${JSON.stringify(content)} from ${from.name}`,
        timeoutMs: WAIT_MS,
        context: both
      }
    );
    const messageId = await withTimeout(
      from.mesh.sendDirectMessage(toId, content),
      WAIT_MS,
      `${from.name}.sendDirectMessage to resolve`,
      observedBoth
    );
    // sendDirectMessage returns null on invalid input; with no open data channel it silently drops the
    // message (GossipManager.js:458-509), which the bounded wait below turns into a failure.
    assert.equal(typeof messageId, 'string', `${from.name}.sendDirectMessage should return a message id`);
    const msg = await gotIt;
    assert.equal(msg.content, content, 'content must arrive unchanged');
    assert.equal(msg.from, fromId, 'message must be attributed to its sender');
    assert.equal(msg.direct, true, 'message must be delivered as a direct message');
    assert.equal(msg.messageId, messageId, 'receiver must see the sender\'s message id');
  };

  const nonce = randomHex(4);
  await exchange(a, b, ID_A, ID_B, `hello B, this is A (${nonce}) — ünïcødé ✓`);
  await exchange(b, a, ID_B, ID_A, `hello A, this is B (${nonce}) — ünïcødé ✓`);

  // Neither side may have received anything it was not sent (e.g. duplicates or echoes).
  assert.equal(b.recorder.of('messageReceived').length, 1, `B received exactly one message\n${b.recorder.summary()}`);
  assert.equal(a.recorder.of('messageReceived').length, 1, `A received exactly one message\n${a.recorder.summary()}`);
}));

// Lets the WebRTC wrappers go while Node is fully alive (wrtc would otherwise crash the process on exit), and exits
// anyway should anything native still hold the event loop (tests/node/lib/mesh-session.mjs).
exitCleanly('two-official-clients');
