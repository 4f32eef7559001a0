// Pages in different networks never see each other: two networks on one server, two pages in each, joining
// alternately. Each pair connects and exchanges a message inside its own network. After that and a round trip to the
// server on every page's socket, no page may have seen a page of the other network, not in its client's events
// (discovery, connections, messages) and not in any raw frame from the server. The raw frames are needed because the
// client drops frames stamped with another network before it looks at them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserSuite, gateways, newNetwork, randomHex } from './harness.mjs';
import { exchange, assertCleanSignaling } from './checks.mjs';

let suite;
before(async () => {
  suite = await BrowserSuite.start();
});
after(async () => {
  await suite?.close();
});

/** Everything in a frame that names a peer or a network. */
const mentions = (frame) => [frame?.fromPeerId, frame?.targetPeerId, frame?.data?.peerId, frame?.data?.targetPeerId,
  frame?.networkName].filter((x) => typeof x === 'string');

test('pages in different networks never discover, connect to or hear about each other', async (t) => {
  const gw = gateways();
  const red = newNetwork('red');
  const blue = newNetwork('blue');
  // Alternate joins, so every join happens while the other network has members. With two gateways each network
  // spans both, and each gateway serves both networks.
  const r1 = await suite.open({ name: 'red-1', network: red, server: gw.at(0) });
  const b1 = await suite.open({ name: 'blue-1', network: blue, server: gw.at(0) });
  const r2 = await suite.open({ name: 'red-2', network: red, server: gw.at(1) });
  const b2 = await suite.open({ name: 'blue-2', network: blue, server: gw.at(1) });
  const teams = [{ network: red, pages: [r1, r2] }, { network: blue, pages: [b1, b2] }];

  for (const { pages: [x, y] } of teams) {
    await Promise.all([x.waitConnectedTo(y), y.waitConnectedTo(x)]);
    await exchange(suite, x, y, `inside ${x.name}'s network (${randomHex(4)})`);
  }
  for (const page of suite.pages) await page.syncWithServer();

  const problems = [];
  for (const { network, pages } of teams) {
    const others = teams.find((team) => team.network !== network);
    const foreign = new Set([others.network, ...others.pages.map((p) => p.peerId)]);
    for (const page of pages) {
      const r = page.recorder;
      const seen = [
        ...r.of('peerDiscovered').filter((d) => foreign.has(d.peerId)).map((d) => `peerDiscovered ${d.peerId}`),
        ...r.of('view').flatMap((v) => v.connected).filter((id) => foreign.has(id)).map((id) => `connected to ${id}`),
        ...r.of('messageReceived').filter((m) => foreign.has(m.from)).map((m) => `message from ${m.from}`),
        ...r.framesIn().filter((f) => mentions(f).some((x) => foreign.has(x))).map((f) => `frame ${JSON.stringify(f).slice(0, 300)}`)
      ];
      if (seen.length) problems.push(`${page.name} (network ${network}) saw the other network: ${seen.join('; ')}`);
      const partner = pages.find((p) => p !== page);
      const discovered = new Set(r.of('peerDiscovered').map((d) => d.peerId));
      assert.deepEqual([...discovered], [partner.peerId], `${page.name} must discover exactly its partner ${partner.name}\n${suite.summaries()}`);
      const stamped = r.framesIn().filter((f) => f.type !== 'connected' && f.networkName !== network);
      if (stamped.length) problems.push(`${page.name} got frames not stamped with its network ${network}: ${JSON.stringify(stamped)}`);
    }
  }
  assert.deepEqual(problems, [], `no page may see the other network\n${suite.summaries()}`);
  assertCleanSignaling(suite);
  t.diagnostic(`${gw.describe()}; frames checked: ${suite.pages.map((p) => `${p.name}=${p.recorder.framesIn().length}`).join(' ')}`);
  await suite.screenshotAll(suite.pages, 'networks.png');
});
