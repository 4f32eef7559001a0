// PROTOCOL.md §2 offer / answer / ice-candidate — targeted relay (default configuration).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { unusualData } from '../lib/frames.js';
import { setup, signalMsg, signalText } from '../lib/harness.js';
import { networkName, peerId } from '../lib/ids.js';
import { discoveredOf, isError, relayed } from '../lib/match.js';
import { DEFAULT, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS } from '../lib/settings.js';
import { assertErrorFrame, assertRelayed } from '../lib/shapes.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

/** Two peers A and B announced in a fresh network, having discovered each other. */
async function pair(h, label) {
  const net = networkName(label);
  const [A, B] = await h.joinMany(2, net, { prefix: label });
  A.name = 'A';
  B.name = 'B';
  await A.expect(discoveredOf(B.peerId), 'peer-discovered about B');
  await B.expect(discoveredOf(A.peerId), 'peer-discovered about A');
  return { A, B, net };
}

async function relayVerbatim(from, to, type, net, marker) {
  const rawData = unusualData(type, marker);
  await from.sendText(signalText(type, to.peerId, rawData, net));
  const rec = await to.expectRecord(relayed(type, from.peerId), `the relayed ${type} from ${from.name}`);
  assertRelayed(rec, { type, from: from.peerId, to: to.peerId, network: net, data: JSON.parse(rawData), rawData });
}

describe('§2 targeted relay', () => {
  test('[MUST] offer, answer, ice-candidate as the official client sends them: exact envelope, data unchanged', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const { A, B, net } = await pair(h, 'compact');
    const cases = [
      ['offer', A, B, { type: 'offer', sdp: 'v=0\r\no=- 3507486454889747123 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n' }],
      ['answer', B, A, { type: 'answer', sdp: 'v=0\r\no=- 7771109876054155430 2 IN IP4 127.0.0.1\r\ns=-\r\n' }],
      ['ice-candidate', A, B, { candidate: 'candidate:3077952869 1 udp 2122265344 fd00::2 43684 typ host generation 0 ufrag SdB4 network-id 2', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'SdB4' }],
    ];
    for (const [type, from, to, data] of cases) {
      await from.send(signalMsg(type, to.peerId, data, net));
      const rec = await to.expectRecord(relayed(type, from.peerId), `the relayed ${type}`);
      assertRelayed(rec, { type, from: from.peerId, to: to.peerId, network: net, data, rawData: JSON.stringify(data) });
    }
  });

  test('[MUST] offer, answer, ice-candidate: data byte-for-byte unchanged, even with unusual JSON formatting', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const { A, B, net } = await pair(h, 'relay');
    await relayVerbatim(A, B, 'offer', net, 'o1');
    await relayVerbatim(B, A, 'answer', net, 'a1');
    await relayVerbatim(A, B, 'ice-candidate', net, 'i1');
    // The official client's exact ice-candidate frame (reference §4.2).
    const cand = {
      candidate: 'candidate:1510613869 1 udp 2122063616 127.0.0.1 58366 typ host generation 0 ufrag SdB4 network-id 3',
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: 'SdB4',
    };
    await B.send(signalMsg('ice-candidate', A.peerId, cand, net));
    const rec = await A.expectRecord(relayed('ice-candidate', B.peerId), 'the relayed official ice-candidate');
    assertRelayed(rec, { type: 'ice-candidate', from: B.peerId, to: A.peerId, network: net, data: cand });
  });

  test('[DECIDED] renegotiation-*, ice-restart-* and recovery-offer are relayed like offers', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const { A, B, net } = await pair(h, 'reneg');
    await relayVerbatim(A, B, 'renegotiation-offer', net, 'r1');
    await relayVerbatim(B, A, 'renegotiation-answer', net, 'r2');
    await relayVerbatim(A, B, 'ice-restart-offer', net, 'r3');
    await relayVerbatim(B, A, 'ice-restart-answer', net, 'r4');
    await relayVerbatim(A, B, 'recovery-offer', net, 'r5');
    // recovery-offer as the client sends it, with an extra top-level field (dropped: "Unknown top-level fields are ignored").
    const data = { type: 'offer', sdp: 'v=0 recovery' };
    await A.send({ ...signalMsg('recovery-offer', B.peerId, data, net), emergency: true });
    const rec = await B.expectRecord(relayed('recovery-offer', A.peerId), 'the relayed recovery-offer with emergency:true');
    assertRelayed(rec, { type: 'recovery-offer', from: A.peerId, to: B.peerId, network: net, data });
    await A.sync();
    await A.expectNoFrame(isError, 'an error for a relayed type');
  });

  test('[MUST] connection-rejected is not relayed; the sender gets an error', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const { A, B, net } = await pair(h, 'rejected');
    await A.send(
      signalMsg('connection-rejected', B.peerId, { reason: 'initiator_role_conflict', details: 'Peer should wait for us to initiate based on peer ID comparison', shouldInitiate: false }, net),
    );
    const err = await A.expect(isError, 'an error for connection-rejected ("the sender gets the upstream `error`")');
    assertErrorFrame(err, { network: net });
    assert.match(err.error, /connection-rejected/, `the error should name the refused type: ${JSON.stringify(err)}`);
    await B.sync();
    await B.expectNoFrame((m) => m.type === 'connection-rejected', 'a relayed connection-rejected');
  });

  test('[DECIDED] fromPeerId is the sender\'s own id; a client-supplied fromPeerId is ignored', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const { A, B, net } = await pair(h, 'spoof');
    const C = await h.connect({ name: 'C' });
    for (const claimed of [C.peerId, 'system', peerId()]) {
      await A.send({ ...signalMsg('offer', B.peerId, { type: 'offer', sdp: `claims ${claimed}` }, net), fromPeerId: claimed });
      const m = await B.expect((x) => x.type === 'offer' && x.data?.sdp === `claims ${claimed}`, `the offer claiming fromPeerId ${claimed}`);
      assert.equal(m.fromPeerId, A.peerId, `fromPeerId must be the sender's attached id, not the claimed ${claimed}: ${JSON.stringify(m)}`);
    }
  });

  test('[DECIDED] a client announced with isHub:true gets no relay privileges', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('fakehub');
    const H = await h.connect({ name: 'H' });
    const B = await h.connect({ name: 'B' });
    await h.announce(H, net, { isHub: true });
    await H.sync();
    await h.announce(B, net);
    await H.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    const remote = peerId();
    await H.send({ ...signalMsg('offer', B.peerId, { type: 'offer', sdp: 'as remote' }, net), fromPeerId: remote });
    const m = await B.expect((x) => x.type === 'offer' && x.data?.sdp === 'as remote', 'the offer from the isHub:true client');
    assert.equal(m.fromPeerId, H.peerId, `"a client that merely announces isHub:true … gets no relay privileges": ${JSON.stringify(m)}`);
  });

  test('[DECIDED] the relay network is the sender\'s announced network, whatever the message says', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const { A, B, net } = await pair(h, 'ownnet');
    await A.send(signalMsg('offer', B.peerId, { type: 'offer', sdp: 'says global' }, 'global'));
    const rec = await B.expectRecord((m) => m.type === 'offer' && m.data?.sdp === 'says global', 'the offer whose networkName field says "global"');
    assertRelayed(rec, { type: 'offer', from: A.peerId, to: B.peerId, network: net });
    await A.send({ type: 'answer', data: { type: 'answer', sdp: 'no networkName' }, targetPeerId: B.peerId });
    const rec2 = await B.expectRecord((m) => m.type === 'answer' && m.data?.sdp === 'no networkName', 'the answer without networkName');
    assertRelayed(rec2, { type: 'answer', from: A.peerId, to: B.peerId, network: net });
  });

  test('[DECIDED] a target in another network is refused with an error, even if the message claims its network', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net1 = networkName('n1');
    const net2 = networkName('n2');
    const [A] = await h.joinMany(1, net1, { prefix: 'A' });
    const [B] = await h.joinMany(1, net2, { prefix: 'B' });
    for (const claimed of [net2, net1]) {
      await A.send(signalMsg('offer', B.peerId, { type: 'offer', sdp: `claims ${claimed}` }, claimed));
      const err = await A.expect(isError, `an error for an offer to a peer of another network (message networkName ${claimed})`);
      assertErrorFrame(err, { network: net1 });
    }
    await B.sync();
    await B.expectNoFrame((m) => m.type === 'offer', 'an offer from another network');
  });

  test('[DECIDED] a sender that never announced is in "global"', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const S = await h.connect({ name: 'S (never announced)' });
    const room = networkName('room');
    const [R] = await h.joinMany(1, room, { prefix: 'R' });
    const G = await h.connect({ name: 'G' });
    await h.announce(G, 'global');
    await G.sync();
    // Claiming R's network does not help: S is in global.
    await S.send(signalMsg('offer', R.peerId, { type: 'offer', sdp: 'to room' }, room));
    assertErrorFrame(await S.expect(isError, 'an error for an offer to a peer of another network'), { network: 'global' });
    await S.send(signalMsg('offer', G.peerId, { type: 'offer', sdp: 'to global' }, 'global'));
    const rec = await G.expectRecord(relayed('offer', S.peerId), 'the offer from the never-announced sender');
    assertRelayed(rec, { type: 'offer', from: S.peerId, to: G.peerId, network: 'global', data: { type: 'offer', sdp: 'to global' } });
    await R.sync();
    await R.expectNoFrame(relayed('offer', S.peerId), 'the offer from a global sender');
  });

  test('[DECIDED] a missing targetPeerId gets an error and nothing is relayed', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const { A, B, net } = await pair(h, 'notarget');
    await A.send({ type: 'offer', data: { type: 'offer', sdp: 'nowhere' }, maxPeers: 3, networkName: net });
    assertErrorFrame(await A.expect(isError, 'an error for an offer without targetPeerId'), { network: net });
    await B.sync();
    await B.expectNoFrame((m) => m.type === 'offer', 'an offer that had no targetPeerId');
  });

  test('[MUST] messages from one sender to one target arrive in the order sent', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const { A, B, net } = await pair(h, 'order');
    const count = 300;
    const types = ['offer', 'ice-candidate', 'ice-candidate', 'answer'];
    for (let i = 0; i < count; i++) {
      await A.send(signalMsg(types[i % types.length], B.peerId, { seq: i, candidate: `c${i}` }, net));
    }
    await B.waitFor(
      () => B.framesWhere((m) => m.fromPeerId === A.peerId && typeof m.data?.seq === 'number').length >= count,
      30000,
      () => `B: expected ${count} relayed messages from A.\n${B.dump()}`,
    );
    const seqs = B.framesWhere((m) => m.fromPeerId === A.peerId && typeof m.data?.seq === 'number').map((f) => f.json.data.seq);
    assert.deepEqual(seqs, [...Array(count).keys()], 'messages must arrive exactly once each, in the order sent');
    const kinds = B.framesWhere((m) => m.fromPeerId === A.peerId && typeof m.data?.seq === 'number').map((f) => f.json.type);
    assert.deepEqual(kinds, [...Array(count).keys()].map((i) => types[i % types.length]));
  });
});
