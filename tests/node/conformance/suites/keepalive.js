// PROTOCOL.md §1 "DECIDED liveness: the server sends WebSocket ping frames (KEEPALIVE_INTERVAL_MS …) and closes
// a socket that has sent nothing, not even a pong, for PEER_TIMEOUT_MS".
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setup } from '../lib/harness.js';
import { networkName } from '../lib/ids.js';
import { discoveredOf, disconnectedOf } from '../lib/match.js';
import { serverConfig, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS, TIMEOUT_MS } from '../lib/settings.js';
import { assertPeerDisconnected } from '../lib/shapes.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

const INTERVAL = 250;
const PEER_TIMEOUT = 2000;
// CLEANUP_INTERVAL_MS is lowered too, so a server that checks liveness on its cleanup timer is not penalised:
// PROTOCOL.md does not say which timer enforces PEER_TIMEOUT_MS.
const KEEPALIVE = serverConfig('keepalive', {
  KEEPALIVE_INTERVAL_MS: String(INTERVAL),
  PEER_TIMEOUT_MS: String(PEER_TIMEOUT),
  CLEANUP_INTERVAL_MS: '500',
});
const SLACK = 3000;

describe(`§1 liveness: KEEPALIVE_INTERVAL_MS=${INTERVAL}, PEER_TIMEOUT_MS=${PEER_TIMEOUT}`, () => {
  test('[DECIDED] the server sends WebSocket ping frames at KEEPALIVE_INTERVAL_MS', T, async (t) => {
    const h = await setup(t, KEEPALIVE);
    // Each gateway pings its own sockets: spread mode checks one socket per gateway, each timed from its own connect.
    const timings = [];
    for (const gateway of h.gateways) {
      const A = await h.connect({ name: `A${gateway}`, gateway });
      const t0 = Date.now();
      timings.push(A.expectPings(3, INTERVAL * 3 + SLACK).then(() => ({ A, elapsed: Date.now() - t0 })));
    }
    for (const { A, elapsed } of await Promise.all(timings)) {
      assert.ok(elapsed < INTERVAL * 3 + SLACK, `${A.who}: 3 pings took ${elapsed} ms at an interval of ${INTERVAL} ms`);
    }
  });

  test('[DECIDED] a socket that answers nothing, not even pings, is closed after PEER_TIMEOUT_MS; its network gets one peer-disconnected', T, async (t) => {
    const h = await setup(t, KEEPALIVE);
    const net = networkName('liveness');
    // Spread mode: B on gateway 0, D on gateway 1 — D's gateway closes it, B learns of it across the cluster.
    const B = await h.connect({ name: 'B (answers pings)' });
    await h.announce(B, net);
    await B.sync();
    // ws 8.x `autoPong: false`: the client does not answer the server's ping frames.
    const D = await h.connect({ name: 'D (silent)', autoPong: false });
    await h.announce(D, net);
    await B.expect(discoveredOf(D.peerId), 'peer-discovered about D');
    await D.expect(discoveredOf(B.peerId), 'peer-discovered about B');
    const lastSent = D.lastSentAt;
    const info = await D.expectClose(`the silent socket to be closed after PEER_TIMEOUT_MS=${PEER_TIMEOUT}`, PEER_TIMEOUT + SLACK + TIMEOUT_MS);
    const silentFor = info.at - lastSent;
    assert.ok(D.pings.length >= 1, `the silent socket should have been pinged before being closed.\n${D.dump()}`);
    assert.ok(silentFor >= PEER_TIMEOUT - 250, `closed after ${silentFor} ms of silence, before PEER_TIMEOUT_MS=${PEER_TIMEOUT}`);
    assert.ok(silentFor <= PEER_TIMEOUT + SLACK, `closed only after ${silentFor} ms of silence (PEER_TIMEOUT_MS=${PEER_TIMEOUT})`);
    const pd = await B.expect(disconnectedOf(D.peerId), 'peer-disconnected about the silent peer');
    assertPeerDisconnected(pd, { about: D.peerId, to: B.peerId, network: net });
    // B, which answers pings but sends nothing else, must outlive PEER_TIMEOUT_MS of application silence.
    const quietUntil = B.lastSentAt + PEER_TIMEOUT + SLACK;
    await B.expectStaysOpen(Math.max(0, quietUntil - Date.now()), 'the socket that answers pings to stay open');
    assert.ok(B.pings.length >= 2, `B should have been pinged.\n${B.dump()}`);
    await B.sync('pong from the socket that only answered pings');
    await B.expectNoFrame(disconnectedOf(D.peerId), 'a second peer-disconnected about the silent peer');
  });

  test('[DECIDED] a socket that never answers pings but keeps sending messages is not closed', T, async (t) => {
    const h = await setup(t, KEEPALIVE);
    // One such socket per gateway (spread mode), chatting side by side.
    const chatty = [];
    for (const gateway of h.gateways) chatty.push(await h.connect({ name: `C${gateway} (no pongs, chatty)`, autoPong: false, gateway }));
    const until = Date.now() + PEER_TIMEOUT * 2;
    await Promise.all(chatty.map(async (C) => {
      let n = 0;
      while (Date.now() < until) {
        await C.sync(`pong #${++n}`); // "has sent nothing, not even a pong": any frame counts as activity
        await new Promise((r) => setTimeout(r, 300)); // the client's message cadence (scenario, not synchronisation)
      }
    }));
    for (const C of chatty) assert.ok(C.isOpen, `${C.who}: an active socket must not be closed for not answering pings.\n${C.dump()}`);
  });
});
