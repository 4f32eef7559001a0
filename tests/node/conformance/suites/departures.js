// PROTOCOL.md §2 goodbye and §3 peer-disconnected (default configuration).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { paddedPing } from '../lib/frames.js';
import { setup } from '../lib/harness.js';
import { networkName } from '../lib/ids.js';
import { discoveredOf, disconnectedOf, goodbyeFrom, isPong } from '../lib/match.js';
import { DEFAULT, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS } from '../lib/settings.js';
import { expectOneDisconnect, mesh } from '../lib/departure.js';
import { assertGoodbye, assertPeerDiscovered, assertPeerDisconnected } from '../lib/shapes.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

describe('§2 goodbye', () => {
  test('[DECIDED] goodbye without networkName reaches the whole network, stamped with the sender\'s real network, then one peer-disconnected', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('bye');
    const [S, ...others] = await mesh(h, 8, net);
    S.name = 'S';
    const [O] = await h.joinMany(1, networkName('bye-other'), { prefix: 'O' });
    // The official client's unload shape: {"type":"goodbye","data":{"peerId","timestamp","reason"}} (no networkName).
    const data = { peerId: S.peerId, timestamp: Date.now(), reason: 'peer_disconnect' };
    await S.send({ type: 'goodbye', data });
    for (const m of others) {
      const bye = await m.expectRecord(goodbyeFrom(S.peerId), `goodbye from S on ${m.name}`);
      assertGoodbye(bye.json, { from: S.peerId, network: net, data });
      const pd = await m.expectRecord(disconnectedOf(S.peerId), `peer-disconnected about S on ${m.name}`);
      assertPeerDisconnected(pd.json, { about: S.peerId, to: m.peerId, network: net });
      assert.ok(bye.seq < pd.seq, `${m.name}: goodbye must come before peer-disconnected ("Then the sender leaves its network").\n${m.dump()}`);
    }
    for (const m of others) await m.sync();
    for (const m of others) {
      await m.expectNoFrame(goodbyeFrom(S.peerId), 'a second goodbye', 50);
      await m.expectNoFrame(disconnectedOf(S.peerId), 'a second peer-disconnected', 50);
    }
    await O.sync();
    await O.expectNoFrame((m) => m.fromPeerId === S.peerId || m.data?.peerId === S.peerId, 'anything about S in another network');
    await S.sync();
    await S.expectNoFrame(goodbyeFrom(S.peerId), 'its own goodbye echoed back');
  });

  test('[MUST] goodbye with maxPeers and networkName (mesh.disconnect() shape) reaches the network', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('bye2');
    const [S, B, C] = await mesh(h, 3, net);
    S.name = 'S';
    const data = { peerId: S.peerId, timestamp: Date.now() };
    await S.send({ type: 'goodbye', data, maxPeers: 3, networkName: net });
    for (const m of [B, C]) {
      assertGoodbye(await m.expect(goodbyeFrom(S.peerId), `goodbye on ${m.name}`), { from: S.peerId, network: net, data });
    }
  });

  test('[DECIDED] goodbye is stamped with the sender\'s real network even when its networkName field lies', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('byelie');
    const [S, B] = await mesh(h, 2, net);
    S.name = 'S';
    const data = { peerId: S.peerId, timestamp: Date.now() };
    await S.send({ type: 'goodbye', data, maxPeers: 3, networkName: 'global' });
    assertGoodbye(await B.expect(goodbyeFrom(S.peerId), 'goodbye on B'), { from: S.peerId, network: net, data });
  });

  test('[DECIDED] after goodbye the socket stays usable: ping works and a new announce rejoins', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('rejoin');
    const [A, B, C] = await mesh(h, 3, net);
    A.name = 'A';
    await A.send({ type: 'goodbye', data: { peerId: A.peerId, timestamp: Date.now(), reason: 'peer_disconnect' } });
    await B.expect(disconnectedOf(A.peerId), 'peer-disconnected about A on B');
    await C.expect(disconnectedOf(A.peerId), 'peer-disconnected about A on C');
    await A.send({ type: 'ping' });
    await A.expect(isPong, 'pong after goodbye (the socket stays attached and usable)');
    assert.ok(A.isOpen);
    // A left the network: C's departure is not reported to A.
    await C.close(1000, 'gone');
    await B.expect(disconnectedOf(C.peerId), 'peer-disconnected about C on B');
    await A.sync();
    await A.expectNoFrame(disconnectedOf(C.peerId), 'peer-disconnected about C after A said goodbye');
    // "a new announce rejoins"
    await h.announce(A, net, { back: true });
    const toB = await B.expect(discoveredOf(A.peerId), 'peer-discovered about A after it re-announced');
    assertPeerDiscovered(toB, { about: A.peerId, to: B.peerId, network: net, announceData: { peerId: A.peerId, back: true } });
    const toA = await A.expect(discoveredOf(B.peerId), 'peer-discovered about B after A re-announced');
    assertPeerDiscovered(toA, { about: B.peerId, to: A.peerId, network: net, announceData: { peerId: B.peerId } });
  });
});

describe('§3 peer-disconnected: exactly one per departure, to that network only', () => {
  test('[DECIDED] clean close: exactly one peer-disconnected per member, exact shape, not to other networks', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('close');
    const [D, ...members] = await mesh(h, 4, net);
    D.name = 'D';
    const [O] = await h.joinMany(1, networkName('close-other'), { prefix: 'O' });
    await D.close(1000, 'Client disconnect');
    await expectOneDisconnect(members, D, net, { outsiders: [O] });
  });

  test('[DECIDED] abrupt disconnect (no close frame): exactly one peer-disconnected per member', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('abrupt');
    const [D, ...members] = await mesh(h, 3, net);
    D.name = 'D';
    const [O] = await h.joinMany(1, networkName('abrupt-other'), { prefix: 'O' });
    await D.terminate();
    await expectOneDisconnect(members, D, net, { outsiders: [O] });
  });

  test('[DECIDED] goodbye then close: still exactly one peer-disconnected', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('byeclose');
    const [D, ...members] = await mesh(h, 3, net);
    D.name = 'D';
    await D.send({ type: 'goodbye', data: { peerId: D.peerId, timestamp: Date.now() }, maxPeers: 3, networkName: net });
    for (const m of members) await m.expect(goodbyeFrom(D.peerId), `goodbye on ${m.name}`);
    await expectOneDisconnect(members, D, net);
    await D.close(1000, 'Client disconnect');
    // A positive sync point for the close: another member leaving afterwards is reported …
    const [E, ...rest] = members;
    E.name = 'E';
    await E.close(1000, 'later');
    for (const m of rest) await m.expect(disconnectedOf(E.peerId), 'peer-disconnected about E (sync point)');
    // … and nothing more about D arrived.
    for (const m of rest) {
      await m.sync();
      await m.expectNoFrame(disconnectedOf(D.peerId), 'a second peer-disconnected about D after its socket closed');
    }
  });

  test('[DECIDED] a socket closed 1009 for an oversize frame: exactly one peer-disconnected', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('oversize');
    const [D, ...members] = await mesh(h, 3, net);
    D.name = 'D';
    await D.sendText(paddedPing(1048577));
    const info = await D.expectClose('close after an oversize frame');
    assert.equal(info.code, 1009);
    await expectOneDisconnect(members, D, net);
  });

  test('[DECIDED] peer-disconnected carries isHub:true for a hub-flagged peer', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('hubleave');
    const [B] = await h.joinMany(1, net, { prefix: 'B' });
    const H = await h.connect({ name: 'H' });
    await h.announce(H, net, { isHub: true });
    await B.expect(discoveredOf(H.peerId), 'peer-discovered about H');
    await H.close(1000, 'hub leaving');
    await expectOneDisconnect([B], H, net, { isHub: true });
  });
});
