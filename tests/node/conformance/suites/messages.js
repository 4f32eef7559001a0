// PROTOCOL.md §2 ping, cleanup, cleanup-all, peer-discovered/peer-disconnected from a client, unknown types
// (default configuration).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setup, signalMsg } from '../lib/harness.js';
import { networkName, peerId } from '../lib/ids.js';
import { anyDisconnected, discoveredOf, disconnectedOf, isError, isPong, notPong } from '../lib/match.js';
import { DEFAULT, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS } from '../lib/settings.js';
import { assertErrorFrame, assertPong } from '../lib/shapes.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

describe('§2 ping, cleanup, hub-only and unknown messages', () => {
  test('[MUST] ping → pong with the exact shape, networkName of the peer\'s network', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const A = await h.connect({ name: 'A' });
    // "Any {"type":"ping",...}": bare, with data, with extra fields.
    for (const ping of [{ type: 'ping' }, { type: 'ping', data: { timestamp: 1 } }]) {
      await A.send(ping);
      // A never announced: its network is "global" (§2 "global if it never announced").
      assertPong(await A.expect(isPong, `pong to ${JSON.stringify(ping)}`), { to: A.peerId, network: 'global' });
    }
    const net = networkName('ping');
    await A.send({ type: 'announce', data: { peerId: A.peerId }, networkName: net });
    await A.send({ type: 'ping' });
    assertPong(await A.expect(isPong, 'pong after announcing'), { to: A.peerId, network: net });
  });

  test('[MUST] "Any {"type":"ping",...}" gets a pong, whatever else the frame holds', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const A = await h.connect({ name: 'A' });
    for (const ping of [
      { type: 'ping', data: 'x', maxPeers: 3, networkName: 'other' },
      { type: 'ping', data: null },
      { type: 'ping', data: [1, 2] },
      { type: 'ping', data: 42, targetPeerId: peerId(), fromPeerId: 'system' },
    ]) {
      await A.send(ping);
      assertPong(await A.expect(isPong, `pong to ${JSON.stringify(ping)}`), { to: A.peerId, network: 'global' });
    }
  });

  test('[DECIDED] cleanup and cleanup-all are accepted and ignored: no reply, nothing relayed', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('cleanup');
    const [A, B] = await h.joinMany(2, net);
    await A.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    await A.send({
      type: 'cleanup',
      data: { peerId: A.peerId, targetPeerId: B.peerId, timestamp: Date.now(), reason: 'connection_established' },
      maxPeers: 3,
      networkName: net,
      targetPeerId: B.peerId,
    });
    await A.send({ type: 'cleanup-all', data: { peerId: A.peerId, timestamp: Date.now(), reason: 'peer_cleanup' }, maxPeers: 3, networkName: net });
    await A.sync();
    await A.expectNoFrame(notPong, 'a reply to cleanup / cleanup-all');
    await B.sync();
    await B.expectNoFrame((m) => m.type === 'cleanup' || m.type === 'cleanup-all' || m.fromPeerId === A.peerId, 'a relayed cleanup');
  });

  test('[MUST] peer-discovered from a normal client is ignored (not forwarded, no reply)', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('fakedisc');
    const [A, B] = await h.joinMany(2, net);
    await A.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    const ghost = peerId();
    await A.send({ type: 'peer-discovered', data: { peerId: ghost, isHub: false }, networkName: net, fromPeerId: 'system' });
    await A.sync();
    await A.expectNoFrame(notPong, 'a reply to peer-discovered from a normal client ("From a normal client: ignored")');
    await B.sync();
    await B.expectNoFrame(discoveredOf(ghost), 'a forwarded fake peer-discovered');
  });

  test('[DECIDED] peer-disconnected from a normal client is ignored (not forwarded, no reply)', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('fakedisc2');
    const [A, B, C] = await h.joinMany(3, net);
    await A.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    await A.expect(discoveredOf(C.peerId), 'peer-discovered about C');
    await B.expect(discoveredOf(C.peerId), 'peer-discovered about C');
    await A.send({ type: 'peer-disconnected', data: { peerId: C.peerId, isHub: false, reason: 'lie' }, networkName: net, fromPeerId: 'system', targetPeerId: B.peerId });
    await A.sync();
    // "ignored" (upstream answers it with an error): no reply either.
    await A.expectNoFrame(notPong, 'a reply to peer-disconnected from a normal client');
    await B.sync();
    await B.expectNoFrame(disconnectedOf(C.peerId), 'a forwarded fake peer-disconnected');
    // C is still a member: a real departure of C is reported normally.
    await C.close(1000, 'real');
    await B.expect(disconnectedOf(C.peerId), 'the real peer-disconnected about C');
  });

  test('[DECIDED] a hub-namespace client without HUB_TOKEN has no hub privileges (§5): its peer-discovered/peer-disconnected are ignored, its fromPeerId is not trusted', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('fakehub');
    const H = await h.connect({ name: 'H' });
    await H.send({ type: 'announce', networkName: 'pigeonhub-mesh', data: { isHub: true, port: 1, host: '127.0.0.1', capabilities: ['signaling', 'relay'], timestamp: Date.now() } });
    await H.sync();
    const [M] = await h.joinMany(1, net, { prefix: 'M' });
    const ghost = peerId();
    await H.send({ type: 'peer-discovered', data: { peerId: ghost, isHub: false }, networkName: net, fromPeerId: 'system', timestamp: Date.now() });
    await H.sync();
    await M.sync();
    await M.expectNoFrame(discoveredOf(ghost), 'peer-discovered forwarded from an unauthenticated hub-namespace client');
    await H.send({ type: 'peer-disconnected', data: { peerId: M.peerId, isHub: false }, networkName: net, fromPeerId: 'system', timestamp: Date.now() });
    await H.sync();
    await M.sync();
    await M.expectNoFrame(disconnectedOf(M.peerId), 'peer-disconnected forwarded from an unauthenticated hub-namespace client');
    // "Only an *authenticated* federated hub link (§5) may relay on behalf of remote peers" (HUB_TOKEN is empty here).
    const M2 = await h.connect({ name: 'M2 (hub namespace)' });
    await h.announce(M2, 'pigeonhub-mesh');
    await M2.sync();
    await H.send({ type: 'offer', data: { type: 'offer', sdp: 'spoofed' }, networkName: 'pigeonhub-mesh', fromPeerId: ghost, targetPeerId: M2.peerId });
    const o = await M2.expect((m) => m.type === 'offer' && m.data?.sdp === 'spoofed', 'the offer from the hub-namespace client (same network)');
    assert.equal(o.fromPeerId, H.peerId, `fromPeerId must be the sender's own id: ${JSON.stringify(o)}`);
  });

  test('[MUST] an unknown type gets {"type":"error","error":"Unsupported message type \'<type>\'",networkName,timestamp}; nothing relayed', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('unknown');
    const [A, B] = await h.joinMany(2, net);
    await A.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    for (const type of ['totally-unknown', 'Offer', 'relay']) {
      await A.send({ type, data: { x: 1 }, maxPeers: 3, networkName: net, targetPeerId: B.peerId });
      const err = await A.expect(isError, `the error for type '${type}'`);
      assertErrorFrame(err, {
        network: net,
        error: `Unsupported message type '${type}'`,
        exactKeys: ['type', 'error', 'networkName', 'timestamp'],
      });
    }
    // A never-announced peer gets networkName "global" in the error.
    const S = await h.connect({ name: 'S' });
    await S.send({ type: 'no-such-type' });
    assertErrorFrame(await S.expect(isError, 'the error for an unknown type'), {
      network: 'global',
      error: "Unsupported message type 'no-such-type'",
      exactKeys: ['type', 'error', 'networkName', 'timestamp'],
    });
    await B.sync();
    await B.expectNoFrame((m) => m.fromPeerId === A.peerId || m.type === 'totally-unknown', 'a relayed unknown message');
  });

  test('[MUST] a frame without "type" gets an error and the connection is kept', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const A = await h.connect({ name: 'A' });
    await A.send({ data: 1 });
    assertErrorFrame(await A.expect(isError, 'an error for a frame without type'), { network: 'global' });
    await A.sync();
    assert.ok(A.isOpen);
    await A.expectNoFrame(anyDisconnected, 'anything else');
  });
});
