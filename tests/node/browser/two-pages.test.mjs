// Two browser pages (official peerpigeon@1.1.3 browser build, headless Chromium) meet through the signaling server at
// PEERPIGEON_URL, open a WebRTC data channel and exchange a direct message each way. Both pages use the same gateway,
// in a fleet run too (gateways.test.mjs is the pair across two gateways).
// How the pages run: harness.mjs (Node side) and page/ (the page). Run the directory:
//   PEERPIGEON_URL=ws://127.0.0.1:3000 node --test tests/node/browser/

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

test('two browser pages open a data channel and exchange direct messages both ways', async () => {
  const server = gateways().at(0);
  const network = newNetwork('two');
  const a = await suite.open({ name: 'A', network, server });
  const b = await suite.open({ name: 'B', network, server });

  await Promise.all([a.waitConnectedTo(b), b.waitConnectedTo(a)]);

  const nonce = randomHex(4);
  await exchange(suite, a, b, `hello B, this is A in a browser (${nonce}) — ünïcødé ✓`);
  await exchange(suite, b, a, `hello A, this is B in a browser (${nonce}) — ünïcødé ✓`);
  assert.equal(a.recorder.of('messageReceived').length, 1, `A must receive exactly one message\n${suite.summaries()}`);
  assert.equal(b.recorder.of('messageReceived').length, 1, `B must receive exactly one message\n${suite.summaries()}`);

  assertCleanSignaling(suite);

  await suite.screenshotAll([a, b], 'two-pages.png');
});
