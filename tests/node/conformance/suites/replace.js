// PROTOCOL.md §1 DUPLICATE_PEER_POLICY=replace.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setup, signalMsg } from '../lib/harness.js';
import { networkName } from '../lib/ids.js';
import { discoveredOf, relayed } from '../lib/match.js';
import { serverConfig, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS } from '../lib/settings.js';
import { assertPeerDiscovered, assertRelayed } from '../lib/shapes.js';
import { expectOneDisconnect } from '../lib/departure.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

const REPLACE = serverConfig('replace', { DUPLICATE_PEER_POLICY: 'replace' });

describe('§1 DUPLICATE_PEER_POLICY=replace', () => {
  test('[DECIDED] the old socket is closed 1008 "Replaced by a new connection", the new one works, one peer-disconnected', T, async (t) => {
    const h = await setup(t, REPLACE);
    const net = networkName('replace');
    const [old, B] = await h.joinMany(2, net);
    old.name = 'X (old socket)';
    B.name = 'B';
    await old.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    await B.expect(discoveredOf(old.peerId), 'peer-discovered about X');
    // Spread mode: the new socket is on the other gateway ("The duplicate check is cluster-wide").
    const fresh = await h.connect({ id: old.peerId, name: 'X (new socket)', gateway: h.otherGateway(old) }); // checks "connected" first, exact shape
    const info = await old.expectClose('the old socket to be replaced');
    assert.equal(info.code, 1008, `old socket close code: ${JSON.stringify(info)}`);
    assert.equal(info.reason, 'Replaced by a new connection', `old socket close reason: ${JSON.stringify(info)}`);
    // "When a peer leaves its network (… replaced …)": exactly one peer-disconnected.
    await expectOneDisconnect([B], old, net);
    await fresh.sync('pong on the new socket');
    await h.announce(fresh, net);
    const m = await B.expect(discoveredOf(old.peerId), 'peer-discovered about X after the new socket announced');
    assertPeerDiscovered(m, { about: old.peerId, to: B.peerId, network: net, announceData: { peerId: old.peerId } });
    await fresh.expect(discoveredOf(B.peerId), 'peer-discovered about B on the new socket');
    await B.send(signalMsg('offer', old.peerId, { type: 'offer', sdp: 'to the new socket' }, net));
    const rec = await fresh.expectRecord(relayed('offer', B.peerId), 'the offer on the new socket');
    assertRelayed(rec, { type: 'offer', from: B.peerId, to: old.peerId, network: net, data: { type: 'offer', sdp: 'to the new socket' } });
  });

  test('[DECIDED] replace also works for a peer that never announced', T, async (t) => {
    const h = await setup(t, REPLACE);
    const first = await h.connect({ name: 'first' });
    const second = await h.connect({ id: first.peerId, name: 'second', gateway: h.otherGateway(first) });
    const info = await first.expectClose('the first socket to be replaced');
    assert.deepEqual({ code: info.code, reason: info.reason }, { code: 1008, reason: 'Replaced by a new connection' });
    await second.sync();
  });
});
