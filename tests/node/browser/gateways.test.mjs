// Cross-gateway: a page on gateway A (PEERPIGEON_URL) and a page on gateway B (PEERPIGEON_URL_2) of one fleet
// discover each other, open a data channel and exchange direct messages both ways. Discovery and the offer/answer/ICE
// relay then cross the cluster.
//
// Which gateways, decided here once (nothing is skipped):
//   * PEERPIGEON_URL_2 set to another host:port: page B uses it (the fleet run).
//   * PEERPIGEON_REQUIRE_TWO_GATEWAYS=1 with PEERPIGEON_URL_2 missing or naming PEERPIGEON_URL's host:port: the test
//     FAILS and says what to set (so does every other test of the directory, through harness.gateways()). The fleet
//     run sets it, so a fleet that lost its second gateway cannot pass.
//   * Otherwise (single-server run): both pages use PEERPIGEON_URL. The test then says "one gateway" in its name and
//     diagnostic, and repeats the two-page check on that one gateway.

import { test, before, after } from 'node:test';
import { BrowserSuite, gateways, hostOf, newNetwork, randomHex } from './harness.mjs';
import { exchange, assertCleanSignaling } from './checks.mjs';

// The title is fixed before the test runs, from the environment alone; the test itself validates it (gateways()).
const URL_2 = process.env.PEERPIGEON_URL_2?.trim() ?? '';
const TWO = URL_2 !== '' && hostOf(URL_2) !== null && hostOf(URL_2) !== hostOf(process.env.PEERPIGEON_URL?.trim() ?? '');
const title = TWO || process.env.PEERPIGEON_REQUIRE_TWO_GATEWAYS === '1'
  ? 'a page on gateway A and a page on gateway B (PEERPIGEON_URL_2) connect and exchange data-channel messages'
  : 'cross-gateway scenario on ONE gateway (no second gateway in PEERPIGEON_URL_2): two pages on PEERPIGEON_URL connect and exchange messages';

let suite;
before(async () => {
  suite = await BrowserSuite.start();
});
after(async () => {
  await suite?.close();
});

test(title, async (t) => {
  const gw = gateways(); // fails when two gateways are required and PEERPIGEON_URL_2 does not name a second one
  const [url, urlB] = [gw.at(0), gw.at(1)];
  t.diagnostic(gw.two
    ? `page A on ${hostOf(url)}, page B on ${hostOf(urlB)} (two gateways)`
    : `both pages on ${hostOf(url)}: one gateway only, PEERPIGEON_URL_2 is ${URL_2 === '' ? 'unset' : `the same gateway (${URL_2})`}`);

  const network = newNetwork('gateways');
  const a = await suite.open({ name: `A @ ${hostOf(url)}`, network, server: url });
  const b = await suite.open({ name: `B @ ${hostOf(urlB)}`, network, server: urlB });
  await Promise.all([a.waitConnectedTo(b), b.waitConnectedTo(a)]);

  const nonce = randomHex(4);
  await exchange(suite, a, b, `A to B across gateways (${nonce}) — ünïcødé ✓`);
  await exchange(suite, b, a, `B to A across gateways (${nonce}) — ünïcødé ✓`);
  assertCleanSignaling(suite);
  await suite.screenshotAll(suite.pages, gw.two ? 'gateways-two.png' : 'gateways-one.png');
});
