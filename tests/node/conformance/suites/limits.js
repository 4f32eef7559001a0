// PROTOCOL.md §1 MAX_CONNECTIONS and MAX_MESSAGE_SIZE set explicitly.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { paddedPing } from '../lib/frames.js';
import { setup } from '../lib/harness.js';
import { networkName } from '../lib/ids.js';
import { discoveredOf, disconnectedOf, isConnected, isPong } from '../lib/match.js';
import { serverConfig, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS, TIMEOUT_MS } from '../lib/settings.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

const MAX = 4;
const MAXCONN = serverConfig('max-connections-4', { MAX_CONNECTIONS: String(MAX) });
const SIZE = 32768;
const MAXSIZE = serverConfig('max-message-size-32768', { MAX_MESSAGE_SIZE: String(SIZE) });
// §6 lists MAX_MESSAGE_SIZE alone; "Invalid values fail at start-up" — 4096 is not an invalid value.
const SMALL_SIZE = 4096;
const SMALLSIZE = serverConfig('max-message-size-4096', { MAX_MESSAGE_SIZE: String(SMALL_SIZE) });

// "this gateway is at MAX_CONNECTIONS": the limit is per gateway, so in spread mode every socket that counts towards
// it is pinned to gateway 0 (whose /health connections is read), and gateway 1 must still accept while 0 is full.
describe(`§1 MAX_CONNECTIONS=${MAX}`, () => {
  test('[MUST] at MAX_CONNECTIONS a new socket is closed 1008 "Maximum connections reached"; a freed slot is reusable', T, async (t) => {
    const h = await setup(t, MAXCONN);
    const { json: health } = await h.getJson('/health', undefined, { gateway: 0 });
    const base = health.connections;
    assert.ok(base < MAX, `/health reports ${base} connections before any client; cannot test MAX_CONNECTIONS=${MAX}`);
    const accepted = [];
    for (let i = base; i < MAX; i++) accepted.push(await h.connect({ name: `c${i}`, gateway: 0 }));
    const over = await h.open(`/?peerId=${'ab'.repeat(20)}`, { name: 'over the limit', gateway: 0 });
    const info = await over.expectClose('close 1008 "Maximum connections reached"');
    assert.deepEqual({ code: info.code, reason: info.reason }, { code: 1008, reason: 'Maximum connections reached' }, over.dump());
    assert.equal(over.framesWhere(isConnected).length, 0, `a refused socket must not get "connected".\n${over.dump()}`);
    for (const c of accepted) assert.ok(c.isOpen, `${c.who} must stay open`);
    if (h.gatewayCount > 1) {
      // The limit is "this gateway"'s: the other gateway of the cluster still accepts while gateway 0 is full.
      const elsewhere = await h.connect({ name: 'on gateway 1 while gateway 0 is full', gateway: 1 });
      await elsewhere.sync();
      await elsewhere.close(1000, 'done');
    }
    await accepted[0].close(1000, 'free a slot');
    // The server frees the slot asynchronously: retry, bounded.
    const deadline = Date.now() + TIMEOUT_MS;
    for (let attempt = 1; ; attempt++) {
      const c = await h.open(`/?peerId=${'cd'.repeat(19)}${String(attempt % 100).padStart(2, '0')}`, { name: `retry${attempt}`, gateway: 0 });
      const outcome = await Promise.race([
        c.expect(isConnected, 'connected').then(() => 'connected'),
        c.expectClose().then((i) => `closed ${i.code} ${i.reason}`),
      ]);
      if (outcome === 'connected') break;
      assert.ok(Date.now() < deadline, `a freed slot was not reusable within ${TIMEOUT_MS} ms (last: ${outcome})`);
    }
  });

  test('[DECIDED] /stats maxConnections and /metrics connections.max report MAX_CONNECTIONS', T, async (t) => {
    const h = await setup(t, MAXCONN);
    for (const gateway of h.gateways) { // a per-gateway setting: every gateway reports it
      assert.equal((await h.getJson('/stats', undefined, { gateway })).json.maxConnections, MAX, `/stats maxConnections of gateway ${gateway}`);
      assert.equal((await h.getJson('/metrics', undefined, { gateway })).json.connections.max, MAX, `/metrics connections.max of gateway ${gateway}`);
    }
  });
});

for (const [size, cfg, label] of [
  [SIZE, MAXSIZE, '[MUST] a frame of MAX_MESSAGE_SIZE bytes is accepted, one byte more is closed 1009'],
  [SMALL_SIZE, SMALLSIZE, '[DECIDED] MAX_MESSAGE_SIZE=4096 on its own is a valid configuration, enforced the same way'],
]) {
  describe(`§1 MAX_MESSAGE_SIZE=${size}`, () => {
    test(label, T, async (t) => {
      const h = await setup(t, cfg);
      const net = networkName('size');
      const [D, B] = await h.joinMany(2, net);
      D.name = 'D';
      B.name = 'B';
      await B.expect(discoveredOf(D.peerId), 'peer-discovered about D');
      await D.sendText(paddedPing(size));
      await D.expect(isPong, `pong to a ${size}-byte ping`);
      await D.sendBinary(paddedPing(size));
      await D.expect(isPong, `pong to a ${size}-byte binary ping`);
      await D.sendText(paddedPing(size + 1));
      const info = await D.expectClose(`close 1009 after a ${size + 1}-byte frame`);
      assert.equal(info.code, 1009, `close code: ${JSON.stringify(info)}`);
      await B.expect(disconnectedOf(D.peerId), 'peer-disconnected about D');
    });
  });
}
