// /metrics of a fleet as Prometheus scrapes it (`Accept: text/plain; version=0.0.4`): a gateway (the HTTP side of
// PEERPIGEON_URL) and a silo (the origin of PEERPIGEON_DASHBOARD_URL) both answer Prometheus text with Orleans'
// series (`orleans_`) and PeerPigeon's (`peerpigeon_`). The grains' series appear on a silo once grains ran there, so
// the silo test makes activity first: raw peers announce into fresh networks (each network is a NetworkGrain,
// placed on either silo) until the silo shows the grains' series.
//
//   PEERPIGEON_URL=ws://127.0.0.1:3000 PEERPIGEON_DASHBOARD_URL=http://127.0.0.1:8080/dashboard \
//     node --test tests/node/fleet/metrics.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  requireWsUrl,
  requireHttpUrl,
  httpOrigin,
  fetchBounded,
  pollUntil,
  connectRawPeer,
  randomHex,
  WAIT_MS
} from './fleet-env.mjs';

const PROMETHEUS_ACCEPT = 'text/plain; version=0.0.4';
// A sample line of the text exposition format 0.0.4: name, optional {labels}, value, optional timestamp.
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+]?([0-9.eE+-]+|NaN|[+-]?Inf)( -?[0-9]+)?$/;

async function scrape(url) {
  const res = await fetchBounded(url, { headers: { Accept: PROMETHEUS_ACCEPT } });
  const body = await res.text();
  assert.equal(res.status, 200, `GET ${url} (Accept: ${PROMETHEUS_ACCEPT}) should answer 200, got ${res.status}: ${body.slice(0, 300)}`);
  const type = res.headers.get('content-type') ?? '';
  assert.match(type, /^text\/plain/, `GET ${url} should answer Prometheus text (text/plain), got Content-Type '${type}'`);
  const samples = body.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  const malformed = samples.filter((line) => !SAMPLE.test(line));
  assert.deepEqual(malformed.slice(0, 5), [], `GET ${url}: every sample line should be 'name{labels} value'`);
  return { body, names: new Set(samples.map((line) => line.split(/[{ ]/, 1)[0])) };
}

const withPrefix = (names, prefix) => [...names].filter((n) => n.startsWith(prefix));
const describeNames = (names) => {
  const all = [...names];
  return `${all.length} series names: ${all.filter((n) => n.startsWith('peerpigeon_')).join(', ') || 'no peerpigeon_ ones'}; ` +
    `${all.filter((n) => n.startsWith('orleans_')).length} orleans_ ones`;
};

test('a gateway answers a Prometheus scrape with orleans_ and peerpigeon_ series', async () => {
  const wsUrl = requireWsUrl('PEERPIGEON_URL', 'ws://127.0.0.1:3000');
  const metricsUrl = `${httpOrigin(wsUrl)}/metrics`;
  // A connection and an announce, so the gateway's own instruments have something to report.
  const peer = await connectRawPeer(wsUrl, randomHex(20));
  try {
    await peer.announce(`metrics-${randomHex(4)}`);
    let last = new Set();
    await pollUntil(async () => {
      last = (await scrape(metricsUrl)).names;
      return withPrefix(last, 'orleans_').length > 0 && withPrefix(last, 'peerpigeon_').length > 0;
    }, { expected: `${metricsUrl} to list orleans_ and peerpigeon_ series`, observed: () => describeNames(last) });
    assert.ok(last.has('peerpigeon_connections'), `the gateway should export peerpigeon_connections; ${describeNames(last)}`);
  } finally {
    peer.close();
  }
});

test('a silo answers a Prometheus scrape with orleans_ and peerpigeon_ series after grain activity', async (t) => {
  const wsUrl = requireWsUrl('PEERPIGEON_URL', 'ws://127.0.0.1:3000');
  const dashboardUrl = requireHttpUrl('PEERPIGEON_DASHBOARD_URL', 'http://127.0.0.1:8080/dashboard');
  const metricsUrl = `${new URL(dashboardUrl).origin}/metrics`;
  const peers = [];
  let last = new Set();
  let announces = 0;
  try {
    await pollUntil(async () => {
      // One more announce into a fresh network per round: a new NetworkGrain, placed on one of the silos.
      const peer = await connectRawPeer(wsUrl, randomHex(20));
      peers.push(peer);
      await peer.announce(`metrics-${randomHex(4)}`);
      announces += 1;
      last = (await scrape(metricsUrl)).names;
      return withPrefix(last, 'orleans_').length > 0 && withPrefix(last, 'peerpigeon_').length > 0;
    }, {
      expected: `${metricsUrl} to list orleans_ and peerpigeon_ series while peers announce through ${wsUrl}`,
      observed: () => `${announces} announces; ${describeNames(last)}`,
      timeoutMs: WAIT_MS,
      intervalMs: 500
    });
    t.diagnostic(`${metricsUrl}: orleans_ and peerpigeon_ series after ${announces} announce(s); ${describeNames(last)}`);
  } finally {
    for (const p of peers) p.close();
  }
});
