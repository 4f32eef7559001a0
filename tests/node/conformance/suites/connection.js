// PROTOCOL.md §1 Connection (default configuration).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { paddedPing } from '../lib/frames.js';
import { setup, signalMsg } from '../lib/harness.js';
import { peerId } from '../lib/ids.js';
import { discoveredOf, disconnectedOf, isConnected, isError, isPong, relayed } from '../lib/match.js';
import { DEFAULT, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS, TIMEOUT_MS } from '../lib/settings.js';
import { assertConnected, assertErrorFrame, assertRelayed } from '../lib/shapes.js';
import { networkName } from '../lib/ids.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

/** Expects `client` (already upgraded) to be closed with `code`/`reason` and to have received no `connected`. */
async function expectRejected(client, code, reason, why) {
  const info = await client.expectClose(`close ${code} "${reason}" (${why})`);
  assert.equal(info.code, code, `${client.name}: ${why}: expected close code ${code}, got ${JSON.stringify(info)}\n${client.dump()}`);
  if (reason !== undefined) {
    assert.equal(info.reason, reason, `${client.name}: ${why}: expected close reason "${reason}", got ${JSON.stringify(info)}`);
  }
  assert.equal(client.framesWhere(isConnected).length, 0, `${client.name}: a rejected socket must not get "connected".\n${client.dump()}`);
}

describe('§1 Connection', () => {
  test('[MUST] any path is accepted ("ws://HOST:PORT/<any path>?peerId=<id>")', T, async (t) => {
    const h = await setup(t, DEFAULT);
    for (const path of ['/', '/ws', '/some/other/path', '/a/b/c.d/']) {
      const c = await h.connect({ path, name: `path ${path}` });
      assert.equal(c.connectedFrame.data.peerId, c.peerId);
    }
  });

  test('[MUST] the first peerId parameter wins ("the first `peerId` parameter wins")', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const a = peerId();
    const b = peerId();
    const first = await h.open(`/?peerId=${a}&peerId=${b}`, { name: 'A&B', peerId: a });
    const m = await first.expect(() => true, 'the first frame');
    assertConnected(m, a);
    // b was not attached by that socket, so it can still connect …
    await h.connect({ id: b, name: 'B' });
    // … while a is attached: a second socket for a is a duplicate (default policy reject). Spread mode: on the other
    // gateway ("peerId already attached anywhere in the cluster").
    const dup = await h.open(`/?peerId=${a}`, { name: 'A again', gateway: h.otherGateway(first) });
    await expectRejected(dup, 1008, 'Peer already connected', 'the id taken by the first parameter');
  });

  test('[MUST] other query parameters are ignored ("other query parameters are ignored except `token`")', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const id = peerId();
    const c = await h.open(`/?networkName=room1&maxPeers=1&isHub=true&foo=bar&peerId=${id}&x=`, { name: 'A', peerId: id });
    assertConnected(await c.expect(() => true, 'the first frame'), id);
    // networkName=room1 in the URL did not put A in room1: a never-announced sender (global) reaches it.
    const s = await h.connect({ name: 'S' });
    await s.send(signalMsg('offer', id, { type: 'offer', sdp: 'v=0 query-param-test' }, 'global'));
    const rec = await c.expectRecord(relayed('offer', s.peerId), 'the offer from S');
    assertRelayed(rec, { type: 'offer', from: s.peerId, to: id, network: 'global', data: { type: 'offer', sdp: 'v=0 query-param-test' } });
  });

  test('[MUST] a missing or malformed peerId is closed 1008 "Invalid peerId format" after the upgrade', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const good = peerId();
    const cases = {
      'no query': '/',
      'empty query': '/?',
      'empty peerId': '/?peerId=',
      'other parameter only': `/?foo=${good}`,
      '39 hex': `/?peerId=${good.slice(0, 39)}`,
      '41 hex': `/?peerId=${good}a`,
      'non-hex character': `/?peerId=${good.slice(0, 39)}g`,
      '0x prefix': `/?peerId=0x${good.slice(0, 38)}`,
      'trailing space': `/?peerId=${good}%20`,
      'not hex at all': '/?peerId=xyz',
    };
    for (const [label, pathAndQuery] of Object.entries(cases)) {
      // open() resolving proves the upgrade happened (§1 "Rejections happen **after** the upgrade").
      const c = await h.open(pathAndQuery, { name: label });
      await expectRejected(c, 1008, 'Invalid peerId format', label);
    }
  });

  test('[MUST] the parameter name is case-sensitive: only "peerId" carries the id (upstream URLSearchParams)', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const good = peerId();
    for (const name of ['peerid', 'PEERID', 'PeerId']) {
      const c = await h.open(`/?${name}=${good}`, { name: `?${name}=` });
      await expectRejected(c, 1008, 'Invalid peerId format', `"${name}" is not "peerId"`);
    }
  });

  test('[MUST] uppercase ids are accepted and kept case-sensitive ("kept case-sensitive as given")', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const upper = peerId().toUpperCase().replace(/^[0-9]/, 'A');
    const lower = upper.toLowerCase();
    const mixed = peerId().replace(/[a-f]/g, (ch, i) => (i % 2 ? ch.toUpperCase() : ch));
    const U = await h.connect({ id: upper, name: 'UPPER' });
    assert.equal(U.connectedFrame.data.peerId, upper, 'connected.data.peerId must be the id exactly as given');
    // Same letters, other case: a different peer, not a duplicate.
    const L = await h.connect({ id: lower, name: 'lower' });
    const M = await h.connect({ id: mixed, name: 'Mixed' });
    assert.equal(M.connectedFrame.data.peerId, mixed);
    const S = await h.connect({ name: 'S' });
    await S.send(signalMsg('offer', upper, { type: 'offer', sdp: 'to-upper' }));
    const rec = await U.expectRecord(relayed('offer', S.peerId), 'the offer addressed to the uppercase id');
    assertRelayed(rec, { type: 'offer', from: S.peerId, to: upper, network: 'global', data: { type: 'offer', sdp: 'to-upper' } });
    await S.send(signalMsg('offer', lower, { type: 'offer', sdp: 'to-lower' }));
    const rec2 = await L.expectRecord(relayed('offer', S.peerId), 'the offer addressed to the lowercase id');
    assertRelayed(rec2, { type: 'offer', from: S.peerId, to: lower, network: 'global', data: { type: 'offer', sdp: 'to-lower' } });
    await U.sync();
    await L.sync();
    await U.expectNoFrame(relayed('offer', S.peerId), 'second offer on the uppercase socket (the lowercase one was addressed)');
    await L.expectNoFrame(relayed('offer', S.peerId), 'offer on the lowercase socket for the uppercase id');
    // The uppercase peer as a sender keeps its case in fromPeerId.
    await U.send(signalMsg('answer', S.peerId, { type: 'answer', sdp: 'from-upper' }));
    const back = await S.expectRecord(relayed('answer', upper), 'the answer from the uppercase id');
    assertRelayed(back, { type: 'answer', from: upper, to: S.peerId, network: 'global' });
  });

  test('[MUST] "connected" is the first frame, with the exact shape', T, async (t) => {
    const h = await setup(t, DEFAULT);
    // connect() asserts both: first frame, exact shape {type,data:{peerId},fromPeerId:"system",timestamp}.
    const c = await h.connect({ name: 'A' });
    assertConnected(c.connectedFrame, c.peerId);
    await c.sync();
    assert.equal(c.framesWhere(isConnected).length, 1, `exactly one "connected".\n${c.dump()}`);
  });

  test('[MUST] a duplicate peerId is closed 1008 "Peer already connected" and the original keeps working', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('dup');
    const A = await h.connect({ name: 'A' });
    const B = await h.connect({ name: 'B' });
    await h.announce(A, net);
    await A.sync();
    await h.announce(B, net);
    await A.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    await B.expect(discoveredOf(A.peerId), 'peer-discovered about A');
    // Spread mode: the duplicate goes to the other gateway ("already attached anywhere in the cluster").
    const dup = await h.open(`/?peerId=${A.peerId}`, { name: 'A duplicate', gateway: h.otherGateway(A) });
    await expectRejected(dup, 1008, 'Peer already connected', 'duplicate of an attached peer (default policy reject)');
    assert.ok(A.isOpen, 'the original socket must stay open');
    await A.sync('pong on the original socket');
    await B.send(signalMsg('offer', A.peerId, { type: 'offer', sdp: 'still-A' }, net));
    await A.expect(relayed('offer', B.peerId), 'the offer from B on the original socket');
    await B.sync();
    await B.expectNoFrame(disconnectedOf(A.peerId), 'peer-disconnected about A (the duplicate was refused, A never left)');
  });

  test('[MUST] a peerId can attach again once its socket has closed', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const id = peerId();
    const first = await h.connect({ id, name: 'first' });
    await first.close(1000, 'bye');
    // The server learns of the close asynchronously: retry a refused reconnect, bounded. Spread mode: the reconnect
    // goes to the other gateway, which learns of the close through the cluster.
    const deadline = Date.now() + TIMEOUT_MS;
    let attempt = 0;
    for (;;) {
      const c = await h.open(`/?peerId=${id}`, { name: `reconnect${++attempt}`, peerId: id, gateway: h.otherGateway(first) });
      const outcome = await Promise.race([
        c.expect(isConnected, 'connected').then(() => 'connected'),
        c.expectClose().then((i) => `closed ${i.code} ${i.reason}`),
      ]);
      if (outcome === 'connected') break;
      assert.ok(Date.now() < deadline, `the id could not attach again within ${TIMEOUT_MS} ms of closing its socket (last: ${outcome})`);
    }
  });

  test('[MUST] text and binary frames both carry JSON', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('binary');
    const A = await h.connect({ name: 'A' });
    const B = await h.connect({ name: 'B' });
    await h.announce(B, net);
    await B.sync();
    await A.sendBinary(JSON.stringify({ type: 'announce', data: { peerId: A.peerId }, maxPeers: 3, networkName: net }));
    await B.expect(discoveredOf(A.peerId), 'peer-discovered about A (announced in a binary frame)');
    await A.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    await A.sendBinary('{"type":"ping"}');
    await A.expect(isPong, 'pong to a binary ping');
    await A.sendBinary(JSON.stringify(signalMsg('offer', B.peerId, { type: 'offer', sdp: 'binary' }, net)));
    const rec = await B.expectRecord(relayed('offer', A.peerId), 'the offer sent in a binary frame');
    assertRelayed(rec, { type: 'offer', from: A.peerId, to: B.peerId, network: net, data: { type: 'offer', sdp: 'binary' } });
  });

  test('[DECIDED] invalid JSON gets an "error" reply and the connection is kept', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const A = await h.connect({ name: 'A' });
    for (const [label, send] of [
      ['truncated text frame', () => A.sendText('{"type":"ping"')],
      ['garbage text frame', () => A.sendText('}{ not json')],
      ['invalid binary frame', () => A.sendBinary('not json at all')],
    ]) {
      await send();
      const m = await A.expect(isError, `an error reply to the ${label}`);
      assertErrorFrame(m, { network: 'global' });
      assert.ok(A.isOpen, `the connection must be kept after the ${label}`);
    }
    await A.sync('pong after the invalid frames');
  });

  test('[MUST] a frame larger than MAX_MESSAGE_SIZE (default 1048576) is closed 1009; 1048576 bytes is fine', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const A = await h.connect({ name: 'A' });
    await A.sendText(paddedPing(1048576));
    await A.expect(isPong, 'pong to a ping frame of exactly 1048576 bytes');
    await A.sendText(paddedPing(1048577));
    const info = await A.expectClose('close 1009 after a 1048577-byte frame');
    assert.equal(info.code, 1009, `expected close code 1009 for a frame over MAX_MESSAGE_SIZE, got ${JSON.stringify(info)}`);
  });
});
