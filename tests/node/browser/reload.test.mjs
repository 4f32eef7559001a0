// A page that reloads rejoins with the same peer id (it is in the page's URL) and is reconnected: the others discover
// it again, data channels to it open again, and messages flow both ways.
//
// The time bound comes from the client's own rules. While the page unloads, the client sends `goodbye` and the
// browser closes the old socket, but the new page may announce before the server has let go of the old socket. The
// server's default DUPLICATE_PEER_POLICY=reject then closes the new socket with 1008 "Peer already connected" (as
// upstream does). The 1.1.3 client retries after its backoff (SignalingClient.attemptReconnect):
// 1000·2^(n-1) ms for attempt n, ×3 when it has WebRTC peers (a freshly loaded page has none), capped at 30 s (300 s
// with peers). The counter restarts on every socket that opens, so each refusal costs one first-attempt delay.
// The server must have let the old socket go by the client's first retry. So the rejoin (the server's `connected`
// frame on the new page) must come within that one backoff + 2 s of the old page's unload. The test records the
// unload, every socket the new page opened and how it ended, and every retry the client scheduled, and reports them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserSuite, gateways, newNetwork, randomHex } from './harness.mjs';
import { exchange, assertCleanSignaling } from './checks.mjs';

const SLACK_MS = 2000;

/** SignalingClient.attemptReconnect's delay for attempt `n` (1-based) of peerpigeon@1.1.3. */
export function clientBackoffMs(n, hasWebRtcPeers) {
  const delay = 1000 * 2 ** (n - 1) * (hasWebRtcPeers ? 3 : 1);
  return Math.min(delay, hasWebRtcPeers ? 300_000 : 30_000);
}

let suite;
before(async () => {
  suite = await BrowserSuite.start();
});
after(async () => {
  await suite?.close();
});

test('a reloaded page rejoins with the same peer id within the client backoff, and is reconnected', async (t) => {
  const gw = gateways();
  const network = newNetwork('reload');
  // With two gateways, R is on the second and the others on the first: its rejoin then crosses the cluster.
  const o1 = await suite.open({ name: 'O1', network, server: gw.at(0) });
  const o2 = await suite.open({ name: 'O2', network, server: gw.at(0) });
  const r = await suite.open({ name: 'R', network, server: gw.at(1) });
  await Promise.all([o1.waitConnectedTo(r), o2.waitConnectedTo(r), r.waitConnectedTo(o1), r.waitConnectedTo(o2)]);
  await exchange(suite, r, o1, `before the reload (${randomHex(4)})`);

  // Reload. Times are epoch ms; the pages run on this machine, so their clocks are ours.
  const reloadAt = Date.now();
  await r.reload();
  const newInstance = r.recorder.instance();
  const ofInstance = (type, instance) => r.recorder.events.filter((e) => e.type === type && e.data.instance === instance).map((e) => e.data);

  const rejoin = await suite.waitFor(r, () => ofInstance('frameIn', newInstance).find((f) => f.frame?.type === 'connected'),
    "the server's `connected` frame on the reloaded page (its socket accepted)");
  const snapshot = await r.snapshot();
  assert.equal(snapshot.peerId, r.peerId, 'the reloaded page must use the same peer id');

  const pagehide = ofInstance('pageLoaded', newInstance)[0]?.previousUnloadAt; // the old page's pagehide (page/recorder.js)
  assert.ok(pagehide >= reloadAt, `the reloaded page should report when the old one fired pagehide (got ${pagehide}, reload at ${reloadAt})`);
  const unloadAt = pagehide;
  const sockets = ofInstance('wsCreated', newInstance).map((created) => {
    const closed = ofInstance('wsClose', newInstance).find((c) => c.n === created.n);
    return `#${created.n} at +${created.pageAt - unloadAt} ms` + (closed ? ` closed ${closed.code} ${closed.reason} at +${closed.pageAt - unloadAt} ms` : ' (open)');
  });
  const retries = ofInstance('statusChanged', newInstance).filter((s) => s.type === 'reconnecting');
  for (const retry of retries) {
    assert.equal(retry.delay, clientBackoffMs(retry.attempt, false),
      `the client's scheduled retry ${JSON.stringify(retry)} should follow its backoff rule for a page without WebRTC peers`);
  }
  const refused = ofInstance('wsClose', newInstance).filter((c) => c.code === 1008);
  assert.ok(refused.every((c) => c.reason === 'Peer already connected'),
    `a refused socket of the reloaded page must be the duplicate-id refusal: ${JSON.stringify(refused)}`);

  const windowMs = clientBackoffMs(1, false);
  const rejoinMs = rejoin.pageAt - unloadAt;
  const report = `${gw.describe()}; rejoined ${rejoinMs} ms after the old page's pagehide (${unloadAt - reloadAt} ms after the reload ` +
    `command); sockets of the new page: ${sockets.join(', ')}; refused: ${refused.length}; ` +
    `retries scheduled: ${retries.map((x) => `attempt ${x.attempt} after ${x.delay} ms`).join(', ') || 'none'}; ` +
    `bound: client backoff ${windowMs} ms + ${SLACK_MS} ms`;
  t.diagnostic(report);
  assert.ok(rejoinMs <= windowMs + SLACK_MS, `the reloaded page must rejoin within the client's backoff + ${SLACK_MS} ms: ${report}\n${suite.summaries()}`);

  // The others discover it again, and data channels to it open again (events after the reload).
  const since = reloadAt - suite.t0;
  for (const other of [o1, o2]) {
    await suite.waitFor(other, (rec) => rec.events.some((e) => e.at >= since && e.type === 'peerDiscovered' && e.data.peerId === r.peerId),
      `to discover R (${r.peerId.slice(0, 8)}) again after its reload`);
    // peerConnected fires when a data channel to the peer opens; the one to R's old page opened before `since`.
    await suite.waitFor(other, (rec) => rec.events.some((e) => e.at >= since && e.type === 'peerConnected' && e.data.peerId === r.peerId) &&
      rec.connected().includes(r.peerId), `to open a data channel to R (${r.peerId.slice(0, 8)}) again after its reload`);
  }
  await r.waitConnectedTo(o1);
  await exchange(suite, r, o1, `after the reload, from R (${randomHex(4)})`);
  await exchange(suite, o1, r, `after the reload, to R (${randomHex(4)})`);

  assertCleanSignaling(suite);
  await suite.screenshot(r, 'reload-R.png');
  await suite.screenshotAll(suite.pages, 'reload.png');
});
