// PROTOCOL.md §2 "Target not attached anywhere: DECIDED store-and-forward" (MESSAGE_TTL_MS default, short, 0).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setup, signalMsg } from '../lib/harness.js';
import { networkName, peerId } from '../lib/ids.js';
import { disconnectedOf, isError, relayed } from '../lib/match.js';
import { DEFAULT, serverConfig, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS, TIMEOUT_MS } from '../lib/settings.js';
import { assertErrorFrame, assertKeys, assertRelayed, assertTimestamp } from '../lib/shapes.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

const SHORT_TTL = 1500;
const TTL_SHORT = serverConfig('ttl-1500', { MESSAGE_TTL_MS: String(SHORT_TTL) });
const TTL_OFF = serverConfig('ttl-0', { MESSAGE_TTL_MS: '0' });

/**
 * "When it expires, the sender gets {"type":"error","error":"Peer <t> is not connected","data":{"targetPeerId":<t>,
 * "type":<relayed type>},"networkName":<net>,"fromPeerId":"system","timestamp":<ms>}"
 */
function assertExpiry(m, { target, type, network }) {
  const what = `expiry error ${JSON.stringify(m)}`;
  assertKeys(m, ['type', 'error', 'data', 'networkName', 'fromPeerId', 'timestamp'], what);
  assert.equal(m.type, 'error');
  assert.equal(m.error, `Peer ${target} is not connected`, `${what}: error text`);
  assert.deepEqual(m.data, { targetPeerId: target, type }, `${what}: data`);
  assert.equal(m.networkName, network, `${what}: networkName (the sender's network)`);
  assert.equal(m.fromPeerId, 'system', `${what}: fromPeerId`);
  assertTimestamp(m.timestamp, what);
}

const expiryFor = (target, type) => (m) => m.type === 'error' && m.data?.targetPeerId === target && m.data?.type === type;

/** Sends three signaling messages to an absent target and returns what was sent. */
async function sendBatch(A, target, net) {
  const sent = [
    signalMsg('offer', target, { type: 'offer', sdp: 'v=0 queued-1' }, net),
    signalMsg('ice-candidate', target, { candidate: 'candidate:1 1 udp 1 127.0.0.1 1 typ host', sdpMid: '0', sdpMLineIndex: 0, n: 2 }, net),
    signalMsg('ice-candidate', target, { candidate: 'candidate:2 1 udp 1 127.0.0.1 2 typ host', sdpMid: '0', sdpMLineIndex: 0, n: 3 }, net),
  ];
  for (const m of sent) await A.send(m);
  return sent;
}

async function expectBatch(Tc, A, sent, net) {
  const got = [];
  for (const m of sent) {
    const rec = await Tc.expectRecord(relayed(m.type, A.peerId), `stored ${m.type} #${sent.indexOf(m) + 1} delivered on attach`);
    assertRelayed(rec, { type: m.type, from: A.peerId, to: Tc.peerId, network: net, data: m.data });
    got.push(rec);
  }
  for (let i = 1; i < got.length; i++) {
    assert.ok(got[i - 1].seq < got[i].seq, `stored messages must be delivered in the order sent.\n${Tc.dump()}`);
  }
}

describe('§2 store-and-forward, default MESSAGE_TTL_MS (5000)', () => {
  test('[DECIDED] messages to a not-yet-attached target are delivered in order when it attaches within the TTL', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const A = await h.connect({ name: 'A' });
    const target = peerId();
    const sent = await sendBatch(A, target, 'global');
    await A.sync(); // the server has taken the three messages
    const Tc = await h.connect({ id: target, name: 'T (late)' }); // connect() checks "connected" comes first
    await expectBatch(Tc, A, sent, 'global');
    await A.sync();
    await A.expectNoFrame(isError, 'an error for messages that were delivered');
  });

  test('[DECIDED] undelivered messages expire after 5000 ms with the exact error shape', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const A = await h.connect({ name: 'A' });
    const target = peerId();
    const sentAt = Date.now();
    await A.send(signalMsg('offer', target, { type: 'offer', sdp: 'never delivered' }, 'global'));
    const m = await A.expect(expiryFor(target, 'offer'), 'the expiry error for the offer', 5000 + TIMEOUT_MS);
    const elapsed = Date.now() - sentAt;
    assertExpiry(m, { target, type: 'offer', network: 'global' });
    assert.ok(elapsed >= 4500, `the expiry error came after ${elapsed} ms; the default MESSAGE_TTL_MS is 5000`);
  });
});

describe(`§2 store-and-forward, MESSAGE_TTL_MS=${SHORT_TTL}`, () => {
  test('[DECIDED] each expired message gets its own error, with the relayed type and the sender\'s network', T, async (t) => {
    const h = await setup(t, TTL_SHORT);
    const net = networkName('ttl');
    const A = await h.connect({ name: 'A' });
    await h.announce(A, net);
    const target = peerId();
    const sentAt = Date.now();
    await A.send(signalMsg('offer', target, { type: 'offer', sdp: 'x' }, net));
    await A.send(signalMsg('ice-candidate', target, { candidate: 'c' }, net));
    const e1 = await A.expect(expiryFor(target, 'offer'), 'expiry error for the offer', SHORT_TTL + TIMEOUT_MS);
    const e2 = await A.expect(expiryFor(target, 'ice-candidate'), 'expiry error for the ice-candidate', SHORT_TTL + TIMEOUT_MS);
    const elapsed = Date.now() - sentAt;
    assertExpiry(e1, { target, type: 'offer', network: net });
    assertExpiry(e2, { target, type: 'ice-candidate', network: net });
    assert.ok(elapsed >= SHORT_TTL - 100, `expiry errors came after ${elapsed} ms, before MESSAGE_TTL_MS=${SHORT_TTL}`);
  });

  test('[DECIDED] a target that attaches within the TTL gets the messages, and the sender gets no expiry error', T, async (t) => {
    const h = await setup(t, TTL_SHORT);
    const A = await h.connect({ name: 'A' });
    const target = peerId();
    const sent = await sendBatch(A, target, 'global');
    await A.sync();
    const Tc = await h.connect({ id: target, name: 'T (late)' });
    await expectBatch(Tc, A, sent, 'global');
    await A.expectNoFrame(isError, 'an expiry error for delivered messages', SHORT_TTL + 1000);
  });

  test('[DECIDED] a reconnecting target gets what was sent while it was away ("covers reconnects")', T, async (t) => {
    const h = await setup(t, TTL_SHORT);
    const A = await h.connect({ name: 'A' });
    const id = peerId();
    const first = await h.connect({ id, name: 'T (first socket)' });
    await h.announce(A, 'global');
    await h.announce(first, 'global');
    await first.sync();
    await first.close(1000, 'reconnecting');
    await A.expect(disconnectedOf(id), 'peer-disconnected about T (the server saw it leave)');
    const sent = await sendBatch(A, id, 'global');
    await A.sync();
    // Spread mode: it comes back on the other gateway ("covers reconnects and gateway failover").
    const second = await h.connect({ id, name: 'T (second socket)', gateway: h.otherGateway(first) });
    await expectBatch(second, A, sent, 'global');
  });

  test('[DECIDED] the network rule applies at delivery: a target outside the sender\'s network does not get it', T, async (t) => {
    const h = await setup(t, TTL_SHORT);
    const net = networkName('ttlnet');
    const A = await h.connect({ name: 'A' });
    await h.announce(A, net);
    const target = peerId();
    await A.send(signalMsg('offer', target, { type: 'offer', sdp: 'for net members only' }, net));
    await A.sync();
    const Tc = await h.connect({ id: target, name: 'T (global)' }); // never announces: global
    const err = await A.expect(isError, 'an error (expiry or "target in another network")', SHORT_TTL + TIMEOUT_MS);
    assertErrorFrame(err, { network: net });
    await Tc.sync();
    await Tc.expectNoFrame(relayed('offer', A.peerId), 'an offer from a sender of another network');
  });
});

describe('§2 store-and-forward disabled, MESSAGE_TTL_MS=0', () => {
  test('[DECIDED] with MESSAGE_TTL_MS=0 nothing is stored for a later attach ("0 disables")', T, async (t) => {
    const h = await setup(t, TTL_OFF);
    const A = await h.connect({ name: 'A' });
    const target = peerId();
    await A.send(signalMsg('offer', target, { type: 'offer', sdp: 'not stored' }, 'global'));
    await A.sync();
    const Tc = await h.connect({ id: target, name: 'T (late)' });
    await Tc.sync();
    await Tc.expectNoFrame(relayed('offer', A.peerId), 'an offer sent before it attached (store-and-forward is off)');
    // A connected target is still reached directly.
    await A.send(signalMsg('offer', target, { type: 'offer', sdp: 'direct' }, 'global'));
    const rec = await Tc.expectRecord(relayed('offer', A.peerId), 'the direct offer');
    assertRelayed(rec, { type: 'offer', from: A.peerId, to: target, network: 'global', data: { type: 'offer', sdp: 'direct' } });
  });
});
