// PROTOCOL.md §4 HTTP (default configuration).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setup } from '../lib/harness.js';
import { networkName, PEER_ID_RE } from '../lib/ids.js';
import { DEFAULT, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS } from '../lib/settings.js';
import { assertIsoTimestamp } from '../lib/shapes.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

const FALLBACK = 'PeerPigeon WebSocket Signaling Server';

function isInt(v) {
  return Number.isInteger(v) && v >= 0;
}

function expectType(obj, key, type, route) {
  const v = obj[key];
  const ok = type === 'int' ? isInt(v) : type === 'array' ? Array.isArray(v) : type === 'object' ? v !== null && typeof v === 'object' && !Array.isArray(v) : typeof v === type;
  assert.ok(ok, `${route}: field "${key}" must be ${type}, got ${JSON.stringify(v)} in ${JSON.stringify(obj)}`);
}

/** §4 /health: {"status":"healthy","timestamp":<ISO>,"uptime":<s, float>,"isHub","connections","peers","hubs","networks","memory":{...}} */
function checkHealth(j, route = '/health') {
  assert.equal(j.status, 'healthy', `${route}: status`);
  assertIsoTimestamp(j.timestamp, `${route}: timestamp`);
  expectType(j, 'uptime', 'number', route);
  expectType(j, 'isHub', 'boolean', route);
  for (const k of ['connections', 'peers', 'hubs', 'networks']) expectType(j, k, 'int', route);
  expectType(j, 'memory', 'object', route);
}

/** §4 /hubs: {"timestamp","totalHubs","hubs":[{"peerId","registeredAt","lastActivity","networkName","data","connectedAt"}]} */
function checkHubs(j, route = '/hubs') {
  assertIsoTimestamp(j.timestamp, `${route}: timestamp`);
  expectType(j, 'totalHubs', 'int', route);
  expectType(j, 'hubs', 'array', route);
  assert.equal(j.totalHubs, j.hubs.length, `${route}: totalHubs must count the hubs listed`);
  for (const hub of j.hubs) {
    assert.deepEqual(Object.keys(hub).sort(), ['connectedAt', 'data', 'lastActivity', 'networkName', 'peerId', 'registeredAt'], `${route}: hub entry keys (lowercase, Node shape) in ${JSON.stringify(hub)}`);
    assert.match(hub.peerId, PEER_ID_RE, `${route}: hub peerId`);
    for (const k of ['registeredAt', 'lastActivity', 'connectedAt']) expectType(hub, k, 'number', `${route} hub ${hub.peerId}`);
    expectType(hub, 'networkName', 'string', `${route} hub ${hub.peerId}`);
    expectType(hub, 'data', 'object', `${route} hub ${hub.peerId}`);
  }
}

/** Go /stats: {isRunning,isHub,hubPeerId,hubMeshNamespace,connections,peers,hubs,networks,bootstrapHubs:{total,connected},maxConnections,uptime(ms),host,port} */
function checkStats(j, route = '/stats') {
  expectType(j, 'isRunning', 'boolean', route);
  expectType(j, 'isHub', 'boolean', route);
  assert.ok(j.hubPeerId === null || typeof j.hubPeerId === 'string', `${route}: hubPeerId must be a string (or null), got ${JSON.stringify(j.hubPeerId)}`);
  expectType(j, 'hubMeshNamespace', 'string', route);
  for (const k of ['connections', 'peers', 'hubs', 'networks', 'maxConnections', 'port']) expectType(j, k, 'int', route);
  expectType(j, 'uptime', 'number', route);
  expectType(j, 'host', 'string', route);
  expectType(j, 'bootstrapHubs', 'object', route);
  expectType(j.bootstrapHubs, 'total', 'int', `${route}.bootstrapHubs`);
  expectType(j.bootstrapHubs, 'connected', 'int', `${route}.bootstrapHubs`);
}

/** Go /hubstats: {totalHubs,connectedHubs,hubs:[…],bootstrapHubs:[{uri,connected,lastAttempt,attemptNumber}]} */
function checkHubStats(j, route = '/hubstats') {
  expectType(j, 'totalHubs', 'int', route);
  expectType(j, 'connectedHubs', 'int', route);
  expectType(j, 'hubs', 'array', route);
  expectType(j, 'bootstrapHubs', 'array', route);
  for (const b of j.bootstrapHubs) {
    expectType(b, 'uri', 'string', `${route}.bootstrapHubs[]`);
    expectType(b, 'connected', 'boolean', `${route}.bootstrapHubs[]`);
    expectType(b, 'attemptNumber', 'number', `${route}.bootstrapHubs[]`);
    assert.ok('lastAttempt' in b, `${route}.bootstrapHubs[]: lastAttempt`);
  }
}

/** Go /metrics JSON (production guide): {timestamp,uptime_ms,server:{is_hub,namespace,region,app_name},connections:{active,max},peers:{total,networks:{}},hubs:{discovered,bootstrap_connected},networks} */
function checkMetrics(j, route = '/metrics') {
  assertIsoTimestamp(j.timestamp, `${route}: timestamp`);
  expectType(j, 'uptime_ms', 'number', route);
  expectType(j, 'server', 'object', route);
  expectType(j.server, 'is_hub', 'boolean', `${route}.server`);
  expectType(j.server, 'namespace', 'string', `${route}.server`);
  expectType(j.server, 'region', 'string', `${route}.server`);
  expectType(j.server, 'app_name', 'string', `${route}.server`);
  expectType(j, 'connections', 'object', route);
  expectType(j.connections, 'active', 'int', `${route}.connections`);
  expectType(j.connections, 'max', 'int', `${route}.connections`);
  expectType(j, 'peers', 'object', route);
  expectType(j.peers, 'total', 'int', `${route}.peers`);
  expectType(j.peers, 'networks', 'object', `${route}.peers`);
  for (const [k, v] of Object.entries(j.peers.networks)) assert.ok(isInt(v), `${route}.peers.networks["${k}"] must be a count, got ${v}`);
  expectType(j, 'hubs', 'object', route);
  expectType(j.hubs, 'discovered', 'int', `${route}.hubs`);
  expectType(j.hubs, 'bootstrap_connected', 'int', `${route}.hubs`);
  expectType(j, 'networks', 'int', route);
}

const ROUTES = { '/health': checkHealth, '/hubs': checkHubs, '/stats': checkStats, '/hubstats': checkHubStats, '/metrics': checkMetrics };

describe('§4 HTTP', () => {
  for (const [route, check] of Object.entries(ROUTES)) {
    test(`[${route === '/health' || route === '/hubs' ? 'MUST' : 'DECIDED'}] GET ${route}: JSON shape, Access-Control-Allow-Origin: *`, T, async (t) => {
      const h = await setup(t, DEFAULT);
      const { json, response } = await h.getJson(route);
      assert.match(String(response.headers['content-type']), /^application\/json/, `${route}: content-type`);
      assert.equal(response.headers['access-control-allow-origin'], '*', `${route}: "Access-Control-Allow-Origin: <CORS_ORIGIN>" (default *)`);
      check(json, route);
    });

    test(`[DECIDED] GET ${route} tolerates a query string and a trailing slash`, T, async (t) => {
      const h = await setup(t, DEFAULT);
      for (const variant of [`${route}?x=1`, `${route}/`, `${route}/?x=1&y=`]) {
        const { json } = await h.getJson(variant);
        check(json, variant);
      }
    });
  }

  test('[MUST] /health: uptime in seconds, connections counts this gateway\'s sockets', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const sinceSpawn = (Date.now() - h.srv.spawnedAt) / 1000;
    for (const gateway of h.gateways) {
      const { json } = await h.getJson('/health', undefined, { gateway });
      assert.ok(json.uptime <= sinceSpawn + 5, `/health uptime ${json.uptime} of gateway ${gateway} must be seconds (server spawned ${sinceSpawn.toFixed(1)} s ago)`);
    }
    // "connections":<this gateway>: the sockets of this test are pinned to gateway 0, whose /health is read. Sockets
    // of earlier tests may still be closing (never opening: tests run one at a time), so compare with what this test
    // opens and closes itself.
    const others = {};
    for (const gateway of h.gateways.slice(1)) others[gateway] = (await h.getJson('/health', undefined, { gateway })).json.connections;
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push(await h.connect({ name: `c${i}`, gateway: 0 }));
    const up = await h.until(async () => {
      const { json } = await h.getJson('/health', undefined, { gateway: 0 });
      return json.connections >= mine.length ? json : { ok: false, seen: json.connections };
    }, `/health connections to count at least the ${mine.length} open sockets of this test`);
    // Spread mode: the other gateway's figure is its own sockets only, so it has not grown by this test's sockets.
    for (const [gateway, before] of Object.entries(others)) {
      const { json } = await h.getJson('/health', undefined, { gateway: Number(gateway) });
      assert.ok(
        json.connections <= before,
        `/health connections of gateway ${gateway} went from ${before} to ${json.connections} while this test opened ${mine.length} sockets on gateway 0 only: it must count "this gateway"'s sockets`,
      );
    }
    for (const c of mine) await c.close(1000, 'done');
    await h.until(async () => {
      const { json } = await h.getJson('/health', undefined, { gateway: 0 });
      return json.connections <= up.connections - mine.length ? json : { ok: false, seen: json.connections };
    }, `/health connections to drop by ${mine.length} from ${up.connections} after this test closed its sockets`);
  });

  test('[DECIDED] peers and networks figures are cluster-wide ("Figures are cluster-wide"): every gateway counts every member', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const net = networkName('figures');
    const N = 4;
    // Spread mode: f0 and f2 on gateway 0, f1 and f3 on gateway 1, and each gateway must report all four.
    const members = await h.joinMany(N, net, { prefix: 'f' });
    const figures = async (gateway) => {
      const [health, stats, metrics] = await Promise.all(['/health', '/stats', '/metrics'].map(async (p) => (await h.getJson(p, undefined, { gateway })).json));
      return {
        inNetwork: metrics.peers.networks[net] ?? 0,
        healthPeers: health.peers,
        statsPeers: stats.peers,
        metricsPeers: metrics.peers.total,
        healthNetworks: health.networks,
        statsNetworks: stats.networks,
        metricsNetworks: metrics.networks,
      };
    };
    // Other tests' peers may still be leaving, so totals are lower bounds; this test's fresh network is exact.
    const expectFigures = (count, what) =>
      Promise.all(h.gateways.map((gateway) =>
        h.until(async () => {
          const f = await figures(gateway);
          const ok = f.inNetwork === count && [f.healthPeers, f.statsPeers, f.metricsPeers].every((p) => p >= count) &&
            (count === 0 || [f.healthNetworks, f.statsNetworks, f.metricsNetworks].every((n) => n >= 1));
          return ok ? f : { ok: false, seen: f };
        }, `gateway ${gateway}${h.gatewayCount > 1 ? ` (port ${h.ports[gateway]})` : ''}: ${what}: /metrics peers.networks["${net}"] must be ${count}` +
          `${count ? `, /health, /stats and /metrics peers at least ${count}, networks at least 1` : ''}`),
      ));
    await expectFigures(N, `all ${N} members joined (${members.map((m) => m.who).join(', ')})`);
    // Departures count cluster-wide too: one member of each gateway leaves.
    await members[0].close(1000, 'leaving');
    await members[1].close(1000, 'leaving');
    await expectFigures(N - 2, `${members[0].who} and ${members[1].who} left`);
    for (const m of members.slice(2)) await m.close(1000, 'leaving');
    await expectFigures(0, 'every member left');
  });

  test('[DECIDED] /stats and /metrics report the configuration (maxConnections 1000, namespace, port, uptime in ms)', T, async (t) => {
    const h = await setup(t, DEFAULT);
    // Per-gateway facts (its port, its configuration, its uptime): spread mode checks each gateway.
    for (const gateway of h.gateways) {
      const on = h.gatewayCount > 1 ? ` (gateway ${gateway})` : '';
      const { json: stats } = await h.getJson('/stats', undefined, { gateway });
      assert.equal(stats.maxConnections, 1000, `/stats maxConnections${on} (MAX_CONNECTIONS default 1000)`);
      assert.equal(stats.hubMeshNamespace, 'pigeonhub-mesh', `/stats hubMeshNamespace${on}`);
      assert.equal(stats.port, h.ports[gateway], `/stats port${on}`);
      const { json: metrics } = await h.getJson('/metrics', undefined, { gateway });
      assert.equal(metrics.connections.max, 1000, `/metrics connections.max${on}`);
      assert.equal(metrics.server.namespace, 'pigeonhub-mesh', `/metrics server.namespace${on}`);
      const upMs = Date.now() - h.srv.healthyAt;
      if (upMs > 3000) {
        assert.ok(stats.uptime >= upMs - 1500, `/stats uptime ${stats.uptime}${on} must be milliseconds (healthy for ${upMs} ms)`);
        assert.ok(metrics.uptime_ms >= upMs - 1500, `/metrics uptime_ms ${metrics.uptime_ms}${on} must be milliseconds (healthy for ${upMs} ms)`);
      }
      assert.ok(stats.uptime <= Date.now() - h.srv.spawnedAt + 5000, `/stats uptime ${stats.uptime}${on} exceeds the process lifetime`);
    }
  });

  test('[DECIDED] /metrics with a Prometheus Accept header gets the text exposition, curl gets JSON', T, async (t) => {
    const h = await setup(t, DEFAULT);
    for (const accept of [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'text/plain',
      'text/plain;version=0.0.4',
    ]) {
      const res = await h.http('/metrics', { headers: { accept } });
      assert.equal(res.status, 200, `/metrics with Accept: ${accept}: status`);
      assert.match(String(res.headers['content-type']), /^(text\/plain|application\/openmetrics-text)/, `/metrics with Accept: ${accept}: content-type`);
      assert.match(res.body, /^# (TYPE|HELP|EOF)/m, `/metrics with Accept: ${accept}: expected a Prometheus exposition, got ${res.body.slice(0, 300)}`);
    }
    for (const accept of ['*/*', 'application/json', undefined]) {
      const res = await h.http('/metrics', { headers: accept ? { accept } : {} });
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^application\/json/, `/metrics with Accept: ${accept}: JSON expected`);
      checkMetrics(res.json);
    }
  });

  test('[MUST] OPTIONS is answered as upstream (200, CORS headers, empty body)', T, async (t) => {
    const h = await setup(t, DEFAULT);
    for (const path of ['/health', '/', '/anything/else']) {
      const res = await h.http(path, { method: 'OPTIONS', headers: { origin: 'http://example.test', 'access-control-request-method': 'GET' } });
      assert.equal(res.status, 200, `OPTIONS ${path}: status`);
      assert.equal(res.headers['access-control-allow-origin'], '*', `OPTIONS ${path}: Access-Control-Allow-Origin`);
      assert.equal(res.headers['access-control-allow-methods'], 'GET, POST, OPTIONS', `OPTIONS ${path}: Access-Control-Allow-Methods`);
      assert.equal(res.headers['access-control-allow-headers'], 'Content-Type, Authorization', `OPTIONS ${path}: Access-Control-Allow-Headers`);
      assert.equal(res.body, '', `OPTIONS ${path}: empty body`);
    }
  });

  test('[MUST] any other GET gets 200 text/plain "PeerPigeon WebSocket Signaling Server"', T, async (t) => {
    const h = await setup(t, DEFAULT);
    for (const path of ['/', '/ws', '/unknown/route', '/healthz', '/index.html?x=1']) {
      const res = await h.http(path);
      assert.equal(res.status, 200, `GET ${path}: status`);
      assert.match(String(res.headers['content-type']), /^text\/plain/, `GET ${path}: content-type`);
      assert.equal(res.body, FALLBACK, `GET ${path}: body`);
      assert.equal(res.headers['access-control-allow-origin'], '*', `GET ${path}: Access-Control-Allow-Origin (as upstream)`);
    }
  });
});
