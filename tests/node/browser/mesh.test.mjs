// Six browser pages in one network form a partial mesh with the client's default limits, a broadcast from one page
// reaches the five others by gossip, and the signaling stays clean (no error frames, no signaling console errors).
//
// Why the peer ids and the join order are fixed. With random ids this scenario passes only now and then, against
// upstream's server too (PROTOCOL.md §7: 3 of 8 runs). Measured here: 1 of 4 runs with random ids, a late page stuck
// with one peer for minutes. The cause is in the 1.1.3 client, not in the server:
//   * only the larger id may initiate. An offer from the smaller id is refused with `connection-rejected`, and the
//     server must not relay that frame (PROTOCOL.md §2, MUST MATCH; the sender gets an `error` instead). So the
//     offerer never learns of the refusal: its half-open connection counts against its maxPeers for 10 s, until
//     the client's stuck-connection monitor retries, and it refuses other offers in the meantime;
//   * a page that is full (maxPeers 3) takes a newcomer only by evicting its XOR-farthest peer, and only if the
//     newcomer is closer. Otherwise it refuses with `connection-rejected` (same dead end).
// After four pages the mesh is a full K4, so pages 5 and 6 get in only through evictions. A page whose id is smaller
// than the others' joins a mesh of full pages and is never connected. So:
//   * ids ascend in join order: each newcomer initiates to the pages it discovers. The client offers to the first
//     three it is told about, and the server sends those in join order (its membership order, like upstream);
//   * their first bytes (the rest is random, so parallel runs never share an id) decide both the order and the
//     XOR distances. They were chosen with a model of the client's rules so that every eviction leaves the evicted
//     page with ≥ 2 peers and no newcomer is refused for lack of room. Under the model, P5 is taken by P1 (evicting P4), P2 (evicting
//     P3) and P3 (evicting P1); P6 by P1, P3 and P2 (evicting P5). Every page keeps 2 or 3 peers;
//   * pages join one at a time, each once it has its first peers, so each step starts from a settled mesh.
// What is checked stays what the brief asks for: the library defaults, minPeers..maxPeers per page, at least two
// open data channels each, the broadcast reaching everyone once, and clean signaling.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserSuite, gateways, newNetwork, randomHex } from './harness.mjs';
import { assertCleanSignaling } from './checks.mjs';

// The defaults of peerpigeon@1.1.3's PeerPigeonMesh constructor (dist/peerpigeon-browser.js, src/PeerPigeonMesh.js:
// `maxPeers = options.maxPeers !== undefined ? options.maxPeers : 3`, the same for minPeers with 2). The pages pass
// neither. The test checks that they really run with these values.
const DEFAULT_MAX_PEERS = 3;
const DEFAULT_MIN_PEERS = 2;
const FIRST_BYTES = ['08', '70', 'c0', 'd0', 'd8', 'e0']; // join order P1..P6, see the header

let suite;
before(async () => {
  suite = await BrowserSuite.start();
});
after(async () => {
  await suite?.close();
});

test(`${FIRST_BYTES.length} browser pages form a mesh within minPeers..maxPeers and a broadcast reaches all of them`, async (t) => {
  const gw = gateways();
  const network = newNetwork('mesh');
  const pages = [];
  const started = Date.now();
  for (const [i, first] of FIRST_BYTES.entries()) {
    const page = await suite.open({ name: `P${i + 1}`, network, server: gw.at(i), peerId: first + randomHex(19) });
    pages.push(page);
    const expected = Math.min(i, DEFAULT_MIN_PEERS);
    await suite.waitFor(page, (r) => r.connected().length >= expected,
      `to connect to ${expected} peer(s) after joining as page ${i + 1} (before the next page joins)`);
  }

  for (const page of pages) {
    const init = page.recorder.current('meshInitialized')[0];
    assert.deepEqual(
      { maxPeers: init.maxPeers, minPeers: init.minPeers, webDHT: init.webDHT, cryptoManager: init.cryptoManager, allowGlobalFallback: init.allowGlobalFallback },
      { maxPeers: DEFAULT_MAX_PEERS, minPeers: DEFAULT_MIN_PEERS, webDHT: false, cryptoManager: false, allowGlobalFallback: false },
      `${page.name} must run with the library's default limits and with WebDHT, crypto and the global fallback off`);
  }

  // Every page has at least minPeers connected peers, each with an open data channel.
  await Promise.all(pages.map((p) => suite.waitFor(p,
    (r) => r.connected().length >= DEFAULT_MIN_PEERS && r.openChannels() >= DEFAULT_MIN_PEERS,
    `at least minPeers=${DEFAULT_MIN_PEERS} connected peers and as many open data channels`)));
  const meshed = Date.now() - started;

  const snapshots = await Promise.all(pages.map((p) => p.snapshot()));
  for (const s of snapshots) {
    assert.ok(s.connectedPeers.length >= DEFAULT_MIN_PEERS && s.connectedPeers.length <= DEFAULT_MAX_PEERS,
      `${s.name} must have between minPeers=${DEFAULT_MIN_PEERS} and maxPeers=${DEFAULT_MAX_PEERS} connected peers, ` +
      `has ${s.connectedPeers.length}\n${suite.summaries()}`);
    assert.ok(s.openChannels >= DEFAULT_MIN_PEERS, `${s.name} must have at least ${DEFAULT_MIN_PEERS} open data channels, ` +
      `has ${s.openChannels}\n${suite.summaries()}`);
  }
  t.diagnostic(`${gw.describe()}; mesh formed ${meshed} ms after the first page started loading; connected peers per page: ` +
    snapshots.map((s) => `${s.name}=${s.connectedPeers.length}`).join(' '));

  // A broadcast from P1 reaches the five others by gossip, once each.
  const [origin, ...others] = pages;
  const content = `broadcast from ${origin.name} (${randomHex(4)}) — ünïcødé ✓`;
  const messageId = await origin.broadcast(content);
  assert.equal(typeof messageId, 'string', `${origin.name}.sendMessage should return a message id\n${suite.summaries()}`);
  const received = await Promise.all(others.map((p) => p.waitMessage(origin, content)));
  for (const [i, msg] of received.entries()) {
    assert.equal(msg.direct, false, `${others[i].name} must receive the broadcast as a broadcast`);
    assert.equal(msg.messageId, messageId, `${others[i].name} must see the sender's message id`);
    const copies = others[i].recorder.of('messageReceived').filter((m) => m.messageId === messageId).length;
    assert.equal(copies, 1, `${others[i].name} must receive the broadcast once, got ${copies}\n${suite.summaries()}`);
  }
  // The library shows the sender its own broadcast (GossipManager.broadcastMessage emits messageReceived locally);
  // it must not come back a second time from the mesh.
  const own = origin.recorder.of('messageReceived');
  assert.ok(own.length === 1 && own[0].messageId === messageId && own[0].from === origin.peerId,
    `${origin.name} must see its own broadcast exactly once (the library's local echo)\n${suite.summaries()}`);

  assertCleanSignaling(suite, pages);
  await suite.screenshotAll(pages, 'mesh.png');
});
