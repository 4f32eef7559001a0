// Two official peerpigeon@1.1.3 clients (PeerPigeonMesh, real WebRTC via @roamhq/wrtc) on two different gateways of
// one fleet: A on PEERPIGEON_URL, B on PEERPIGEON_URL_2. Discovery, the offer/answer/ICE relay and the data channel
// all have to cross the cluster (gateway → grains → the other gateway's push), then a direct message goes each way.
//
//   PEERPIGEON_URL=ws://127.0.0.1:3000 PEERPIGEON_URL_2=ws://127.0.0.1:3001 node --test tests/node/fleet/
//
// PEERPIGEON_AUTH_TOKEN: the fleet's AUTH_TOKEN, passed as ?token= (the official client keeps the URL's query).
// PEERPIGEON_TEST_VERBOSE=1 shows the clients' console output live (otherwise only on failure).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  captureConsole,
  loadOfficialClient,
  createRecordedMesh,
  trackLibraryTimers,
  releaseNativeWebRTC,
  withTimeout,
  DEFAULT_WAIT_MS
} from '../lib/official-client.mjs';
import { requireWsUrl, withToken, httpOrigin, fetchBounded, randomHex } from './fleet-env.mjs';

const WAIT_MS = DEFAULT_WAIT_MS;
const CONNECT_MS = 15_000; // SignalingClient has its own 10 s connect timeout; this bounds it from outside

const ID_A = 'a11ce0f1ee'.repeat(4);
const ID_B = 'b0b0f1ee70'.repeat(4);

let failed = false;

test('official clients on two different gateways discover each other, open a WebRTC data channel and exchange messages both ways', async () => {
  let urlA;
  let urlB;
  try {
    urlA = requireWsUrl('PEERPIGEON_URL', 'ws://127.0.0.1:3000');
    urlB = requireWsUrl('PEERPIGEON_URL_2', 'ws://127.0.0.1:3001');
    assert.notEqual(new URL(urlA).host, new URL(urlB).host,
      `PEERPIGEON_URL and PEERPIGEON_URL_2 must be two different gateways, both are ${new URL(urlA).host}`);
    // Both gateways must be up and see the cluster before the clients go in (the failure then says which one).
    for (const url of [urlA, urlB]) {
      const res = await fetchBounded(`${httpOrigin(url)}/health`);
      assert.equal(res.status, 200, `${httpOrigin(url)}/health should answer 200 (gateway up, cluster answering): ${await res.text()}`);
    }
  } catch (err) {
    failed = true;
    throw err;
  }

  const out = captureConsole();
  const timers = trackLibraryTimers(); // lets the process exit as soon as the test is done (see lib)
  const meshes = [];
  try {
    const pp = await loadOfficialClient();
    const network = `fleet-${randomHex(6)}`;
    const common = {
      networkName: network,
      enableWebDHT: false,
      enableCrypto: false,
      allowGlobalFallback: false,
      maxPeers: 3
    };

    const a = createRecordedMesh(pp, 'A', { ...common, peerId: ID_A });
    meshes.push(a);
    const b = createRecordedMesh(pp, 'B', { ...common, peerId: ID_B });
    meshes.push(b);
    const both = [a.recorder, b.recorder];
    const observedBoth = () => both.map((r) => r.summary()).join('\n');

    await withTimeout(Promise.all([a.mesh.init(), b.mesh.init()]), WAIT_MS, 'PeerPigeonMesh.init() of A and B', observedBoth);

    // Each client on its own gateway.
    await withTimeout(a.mesh.connect(withToken(urlA)), CONNECT_MS, `A to open its signaling WebSocket to ${urlA}`, observedBoth);
    await withTimeout(b.mesh.connect(withToken(urlB)), CONNECT_MS, `B to open its signaling WebSocket to ${urlB}`, observedBoth);

    const hasEvent = (type, peerId) => (r) => r.of(type).some((d) => d?.peerId === peerId);
    const where = `A on ${urlA}, B on ${urlB}, network ${network}`;
    await Promise.all([
      a.recorder.waitFor(hasEvent('peerDiscovered', ID_B), { expected: `A to discover B (${where})`, timeoutMs: WAIT_MS, context: both }),
      b.recorder.waitFor(hasEvent('peerDiscovered', ID_A), { expected: `B to discover A (${where})`, timeoutMs: WAIT_MS, context: both })
    ]);

    // offer/answer/ICE cross the cluster; peerConnected fires when the data channel is open.
    await Promise.all([
      a.recorder.waitFor(hasEvent('peerConnected', ID_B), {
        expected: `A to report B as connected (data channel open; ${where})`, timeoutMs: WAIT_MS, context: both
      }),
      b.recorder.waitFor(hasEvent('peerConnected', ID_A), {
        expected: `B to report A as connected (data channel open; ${where})`, timeoutMs: WAIT_MS, context: both
      })
    ]);

    const exchange = async (from, to, fromId, toId, content) => {
      const gotIt = to.recorder.waitFor(
        (r) => r.of('messageReceived').find((m) => m?.from === fromId && m?.content === content),
        { expected: `${to.name} to receive ${JSON.stringify(content)} from ${from.name}`, timeoutMs: WAIT_MS, context: both }
      );
      const messageId = await withTimeout(from.mesh.sendDirectMessage(toId, content), WAIT_MS, `${from.name}.sendDirectMessage to resolve`, observedBoth);
      assert.equal(typeof messageId, 'string', `${from.name}.sendDirectMessage should return a message id`);
      const msg = await gotIt;
      assert.equal(msg.content, content, 'content must arrive unchanged');
      assert.equal(msg.from, fromId, 'message must be attributed to its sender');
      assert.equal(msg.direct, true, 'message must be delivered as a direct message');
      assert.equal(msg.messageId, messageId, "receiver must see the sender's message id");
    };

    const nonce = randomHex(4);
    await exchange(a, b, ID_A, ID_B, `hello B across gateways, this is A (${nonce}) ✓`);
    await exchange(b, a, ID_B, ID_A, `hello A across gateways, this is B (${nonce}) ✓`);

    assert.equal(b.recorder.of('messageReceived').length, 1, `B received exactly one message\n${b.recorder.summary()}`);
    assert.equal(a.recorder.of('messageReceived').length, 1, `A received exactly one message\n${a.recorder.summary()}`);
  } catch (err) {
    failed = true;
    out.restore();
    out.dump('peerpigeon client console output');
    throw err;
  } finally {
    for (const m of meshes) m.dispose();
    timers.release();
    out.restore();
  }
});

after(async () => {
  // Collect the WebRTC wrappers while Node is alive, else @roamhq/wrtc crashes on exit (see ../lib/official-client.mjs).
  await releaseNativeWebRTC();
  setTimeout(() => {
    process.stderr.write(`official-clients-across-gateways: forcing exit, still active: ${process.getActiveResourcesInfo().join(', ')}\n`);
    process.exit(failed ? 1 : (process.exitCode ?? 0));
  }, 15_000).unref();
});
