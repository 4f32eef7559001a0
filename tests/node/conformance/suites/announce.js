// PROTOCOL.md §2 announce / discovery (default configuration).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setup } from '../lib/harness.js';
import { networkName } from '../lib/ids.js';
import { anyDiscovered, discoveredOf, disconnectedOf } from '../lib/match.js';
import { DEFAULT, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS } from '../lib/settings.js';
import { assertPeerDiscovered, assertPeerDisconnected } from '../lib/shapes.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

describe('§2 announce and discovery', () => {
  test('[MUST] a peer alone in its network receives nothing ("No acknowledgement; a peer alone … receives nothing")', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const A = await h.connect({ name: 'A' });
    await h.announce(A, networkName('alone'));
    await A.sync();
    await A.expectNoFrame((m) => m.type !== 'pong', 'frame in reply to the announce of a lone peer');
  });

  test('[MUST] peer-discovered has the exact shape, both directions, with each side\'s announce data', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('shape');
    const A = await h.connect({ name: 'A' });
    const B = await h.connect({ name: 'B' });
    await h.announce(A, net, { nick: 'alice' });
    await A.sync();
    const bData = { nickname: 'bob', extra: { list: [1, 'two', null], flag: false } };
    await h.announce(B, net, bData);
    // "Every other peer of the network gets one … and the announcer gets one such message per existing member
    // (with that member's announce data)."
    const toA = await A.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    assertPeerDiscovered(toA, { about: B.peerId, to: A.peerId, network: net, announceData: { peerId: B.peerId, ...bData } });
    const toB = await B.expect(discoveredOf(A.peerId), 'peer-discovered about A');
    assertPeerDiscovered(toB, { about: A.peerId, to: B.peerId, network: net, announceData: { peerId: A.peerId, nick: 'alice' } });
    await A.sync();
    await B.sync();
    await A.expectNoFrame(discoveredOf(B.peerId), 'a second peer-discovered about B');
    await B.expectNoFrame(discoveredOf(A.peerId), 'a second peer-discovered about A');
    await B.expectNoFrame(discoveredOf(B.peerId), 'peer-discovered about itself');
  });

  test('[MUST] the announcer gets one peer-discovered per existing member and each member one about it', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('fanout');
    const members = await h.joinMany(4, net);
    const N = await h.connect({ name: 'newcomer' });
    await h.announce(N, net, { role: 'new' });
    for (const m of members) {
      const toN = await N.expect(discoveredOf(m.peerId), `peer-discovered about ${m.name}`);
      assertPeerDiscovered(toN, { about: m.peerId, to: N.peerId, network: net, announceData: { peerId: m.peerId } });
      const toM = await m.expect(discoveredOf(N.peerId), `peer-discovered about the newcomer on ${m.name}`);
      assertPeerDiscovered(toM, { about: N.peerId, to: m.peerId, network: net, announceData: { peerId: N.peerId, role: 'new' } });
    }
    await N.sync();
    await N.expectNoFrame(anyDiscovered, 'more peer-discovered than one per member');
    for (const m of members) {
      await m.sync();
      await m.expectNoFrame(discoveredOf(N.peerId), 'a second peer-discovered about the newcomer', 100);
    }
  });

  test('[DECIDED] data.peerId and data.isHub are set by the server after spreading the announce data', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('spoof');
    const A = await h.connect({ name: 'A' });
    const B = await h.connect({ name: 'B' });
    await h.announce(A, net);
    await A.sync();
    const victim = '9999999999999999999999999999999999999999';
    // "so a client cannot advertise someone else's id"; "isHub is true when data.isHub === true".
    await B.send({ type: 'announce', data: { peerId: victim, isHub: 'true', color: 'red' }, maxPeers: 3, networkName: net });
    const m = await A.expect((x) => x.type === 'peer-discovered' && x.data?.color === 'red', 'peer-discovered for B\'s announce');
    assertPeerDiscovered(m, { about: B.peerId, to: A.peerId, network: net, announceData: { color: 'red' }, isHub: false });
    await B.send({ type: 'announce', data: { peerId: B.peerId, isHub: 1, color: 'blue' }, maxPeers: 3, networkName: net });
    const m2 = await A.expect((x) => x.type === 'peer-discovered' && x.data?.color === 'blue', 'peer-discovered for B\'s re-announce with isHub: 1');
    assertPeerDiscovered(m2, { about: B.peerId, to: A.peerId, network: net, announceData: { color: 'blue' }, isHub: false });
    // and a genuine hub flag cannot be switched off through the data either
    const C = await h.connect({ name: 'C' });
    await C.send({ type: 'announce', data: { peerId: A.peerId, isHub: false }, maxPeers: 3, networkName: 'pigeonhub-mesh' });
    await C.sync();
    const D = await h.connect({ name: 'D' });
    await h.announce(D, 'pigeonhub-mesh');
    const m3 = await D.expect(discoveredOf(C.peerId), 'peer-discovered about C in the hub namespace');
    assert.equal(m3.data.isHub, true, `a hub-namespace member is a hub whatever data.isHub says: ${JSON.stringify(m3)}`);
    assert.equal(m3.data.peerId, C.peerId);
  });

  test('[MUST] isHub is true in discovery when data.isHub === true, false otherwise', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('ishub');
    const H = await h.connect({ name: 'H' });
    await h.announce(H, net, { isHub: true, port: 1 });
    await H.sync();
    const P = await h.connect({ name: 'P' });
    await h.announce(P, net, { role: 'plain' });
    const aboutH = await P.expect(discoveredOf(H.peerId), 'peer-discovered about the isHub:true member');
    assertPeerDiscovered(aboutH, { about: H.peerId, to: P.peerId, network: net, announceData: { peerId: H.peerId, port: 1 }, isHub: true });
    const aboutP = await H.expect(discoveredOf(P.peerId), 'peer-discovered about P (no data.isHub)');
    assertPeerDiscovered(aboutP, { about: P.peerId, to: H.peerId, network: net, announceData: { peerId: P.peerId, role: 'plain' }, isHub: false });
  });

  test('[MUST] announcing in the hub namespace (pigeonhub-mesh) marks the peer isHub:true', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const Q = await h.connect({ name: 'Q' });
    await h.announce(Q, 'pigeonhub-mesh');
    await Q.sync();
    const P = await h.connect({ name: 'P' });
    await P.send({ type: 'announce', data: { peerId: P.peerId, note: 'no isHub field' }, maxPeers: 3, networkName: 'pigeonhub-mesh' });
    const m = await Q.expect(discoveredOf(P.peerId), 'peer-discovered about P in the hub namespace');
    assertPeerDiscovered(m, { about: P.peerId, to: Q.peerId, network: 'pigeonhub-mesh', announceData: { peerId: P.peerId, note: 'no isHub field' }, isHub: true });
  });

  test('[MUST] networkName defaults to "global" and data may be absent', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const A = await h.connect({ name: 'A' });
    const B = await h.connect({ name: 'B' });
    await A.send({ type: 'announce' });
    await A.sync();
    await B.send({ type: 'announce', data: { peerId: B.peerId }, maxPeers: 3, networkName: 'global' });
    const m = await B.expect(discoveredOf(A.peerId), 'peer-discovered about A (announced with no data and no networkName)');
    assertPeerDiscovered(m, { about: A.peerId, to: B.peerId, network: 'global', announceData: {}, isHub: false });
    const m2 = await A.expect(discoveredOf(B.peerId), 'peer-discovered about B in "global"');
    assertPeerDiscovered(m2, { about: B.peerId, to: A.peerId, network: 'global', announceData: { peerId: B.peerId } });
  });

  test('[MUST] unknown top-level fields are ignored ("Unknown top-level fields are ignored")', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('extra');
    const A = await h.connect({ name: 'A' });
    const B = await h.connect({ name: 'B' });
    await h.announce(A, net);
    await A.sync();
    await B.send({ type: 'announce', data: { peerId: B.peerId }, maxPeers: 99, networkName: net, foo: { bar: [1] }, emergency: true, targetPeerId: A.peerId });
    const m = await A.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    assertPeerDiscovered(m, { about: B.peerId, to: A.peerId, network: net, announceData: { peerId: B.peerId } });
  });

  test('[MUST] re-announcing in the same network repeats the discovery', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('reannounce');
    const [A, B] = await h.joinMany(2, net);
    await A.expect(discoveredOf(B.peerId), 'first peer-discovered about B');
    await B.expect(discoveredOf(A.peerId), 'first peer-discovered about A');
    await h.announce(A, net, { round: 2 });
    const m = await B.expect(discoveredOf(A.peerId), 'a second peer-discovered about A after its re-announce');
    assertPeerDiscovered(m, { about: A.peerId, to: B.peerId, network: net, announceData: { peerId: A.peerId, round: 2 } });
    const m2 = await A.expect(discoveredOf(B.peerId), 'a second peer-discovered about B after A\'s re-announce');
    assertPeerDiscovered(m2, { about: B.peerId, to: A.peerId, network: net, announceData: { peerId: B.peerId } });
  });

  test('[DECIDED] re-announcing into another network leaves the old one (exactly one peer-disconnected there)', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net1 = networkName('old');
    const net2 = networkName('new');
    const [A, B, C] = await h.joinMany(3, net1);
    const D = await h.connect({ name: 'D' });
    await h.announce(D, net2);
    await D.sync();
    await h.announce(A, net2);
    // Old members: exactly one peer-disconnected about A, in net1.
    for (const old of [B, C]) {
      const m = await old.expect(disconnectedOf(A.peerId), `peer-disconnected about A on ${old.name}`);
      assertPeerDisconnected(m, { about: A.peerId, to: old.peerId, network: net1 });
    }
    // New network: A and D discover each other.
    const toD = await D.expect(discoveredOf(A.peerId), 'peer-discovered about A in the new network');
    assertPeerDiscovered(toD, { about: A.peerId, to: D.peerId, network: net2, announceData: { peerId: A.peerId } });
    const toA = await A.expect(discoveredOf(D.peerId), 'peer-discovered about D');
    assertPeerDiscovered(toA, { about: D.peerId, to: A.peerId, network: net2, announceData: { peerId: D.peerId } });
    for (const old of [B, C]) {
      await old.sync();
      await old.expectNoFrame(disconnectedOf(A.peerId), 'a second peer-disconnected about A');
    }
    // A is no longer in net1: a departure there is not reported to A, a newcomer there does not discover A.
    await B.close(1000, 'leaving');
    await C.expect(disconnectedOf(B.peerId), 'peer-disconnected about B on C');
    const E = await h.connect({ name: 'E' });
    await h.announce(E, net1);
    await E.expect(discoveredOf(C.peerId), 'peer-discovered about C on the newcomer E');
    await E.sync();
    await E.expectNoFrame(discoveredOf(A.peerId), 'peer-discovered about A, which left net1');
    await A.sync();
    await A.expectNoFrame(disconnectedOf(B.peerId), 'peer-disconnected about B (A had left net1)');
    await A.expectNoFrame(discoveredOf(E.peerId), 'peer-discovered about E (A had left net1)');
  });

  test('[MUST] networks are isolated: no discovery across networks', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const [X1] = await h.joinMany(1, networkName('iso1'), { prefix: 'x' });
    const [Y1] = await h.joinMany(1, networkName('iso2'), { prefix: 'y' });
    await X1.sync();
    await Y1.sync();
    await X1.expectNoFrame(anyDiscovered, 'peer-discovered across networks');
    await Y1.expectNoFrame(anyDiscovered, 'peer-discovered across networks');
  });

  test('[MUST] "networkName" is carried by every peer-discovered, equal to the receiver\'s network', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('carry');
    const [A, B] = await h.joinMany(2, net);
    await A.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    await B.expect(discoveredOf(A.peerId), 'peer-discovered about A');
    const all = [...A.framesWhere(anyDiscovered), ...B.framesWhere(anyDiscovered)];
    assert.ok(all.length >= 1, 'expected discovery frames');
    for (const f of all) assert.equal(f.json.networkName, net, `networkName missing or wrong in ${f.raw}`);
  });
});
