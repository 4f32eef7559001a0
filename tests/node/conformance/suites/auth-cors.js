// PROTOCOL.md §6 AUTH_TOKEN and CORS_ORIGIN (with §1 "other query parameters are ignored except `token`").
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { setup } from '../lib/harness.js';
import { peerId } from '../lib/ids.js';
import { isConnected } from '../lib/match.js';
import { serverConfig, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS } from '../lib/settings.js';
import { assertConnected } from '../lib/shapes.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

const TOKEN = `conf-${randomBytes(8).toString('hex')}`;
const AUTH = serverConfig('auth-token', { AUTH_TOKEN: TOKEN });
const ONE_ORIGIN = 'http://allowed.example';
const CORS_ONE = serverConfig('cors-single', { CORS_ORIGIN: ONE_ORIGIN });
const LIST = ['http://a.example', 'https://b.example:8443'];
const CORS_LIST = serverConfig('cors-list', { CORS_ORIGIN: LIST.join(',') });

async function expectStatus(h, pathAndQuery, status, opts, why) {
  const rej = await h.expectUpgradeRefused(pathAndQuery, opts);
  assert.equal(rej.status, status, `${why}${rej.where ? ` [${rej.where}]` : ''}: expected HTTP ${status} before the upgrade, got ${rej.status} ${rej.body}`);
}

describe('§6 AUTH_TOKEN', () => {
  test('[DECIDED] an upgrade without the token gets HTTP 401 before the upgrade', T, async (t) => {
    const h = await setup(t, AUTH);
    await expectStatus(h, `/?peerId=${peerId()}`, 401, {}, 'no token');
    await expectStatus(h, `/ws?peerId=${peerId()}`, 401, {}, 'no token, other path');
    await expectStatus(h, '/?peerId=xyz', 401, {}, 'no token and an invalid peerId (the token is checked before the upgrade)');
  });

  test('[DECIDED] a wrong token gets HTTP 401, in the header or the query', T, async (t) => {
    const h = await setup(t, AUTH);
    await expectStatus(h, `/?peerId=${peerId()}`, 401, { headers: { authorization: `Bearer ${TOKEN}x` } }, 'wrong bearer token');
    await expectStatus(h, `/?peerId=${peerId()}`, 401, { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } }, 'bearer token prefix');
    await expectStatus(h, `/?peerId=${peerId()}`, 401, { headers: { authorization: TOKEN } }, 'token without the Bearer scheme');
    await expectStatus(h, `/?peerId=${peerId()}&token=${TOKEN}0`, 401, {}, 'wrong ?token=');
    await expectStatus(h, `/?peerId=${peerId()}&token=`, 401, {}, 'empty ?token=');
  });

  test('[DECIDED] "Authorization: Bearer <t>" is accepted', T, async (t) => {
    const h = await setup(t, AUTH);
    const c = await h.connect({ headers: { authorization: `Bearer ${TOKEN}` } });
    await c.sync();
  });

  test('[DECIDED] "?token=<t>" is accepted, in any parameter position, and does not disturb peerId', T, async (t) => {
    const h = await setup(t, AUTH);
    const a = await h.connect({ query: `&token=${TOKEN}` });
    await a.sync();
    const id = peerId();
    const b = await h.open(`/some/path?token=${TOKEN}&peerId=${id}`, { name: 'token first', peerId: id });
    assertConnected(await b.expect(isConnected, 'connected'), id);
  });

  test('[DECIDED] with a valid token the usual rules still apply: a malformed peerId is closed 1008 after the upgrade', T, async (t) => {
    const h = await setup(t, AUTH);
    const c = await h.open(`/?peerId=xyz&token=${TOKEN}`, { name: 'bad id, good token' });
    const info = await c.expectClose('close 1008');
    assert.deepEqual({ code: info.code, reason: info.reason }, { code: 1008, reason: 'Invalid peerId format' });
  });
});

describe(`§6 CORS_ORIGIN=${ONE_ORIGIN}`, () => {
  test('[DECIDED] a WebSocket upgrade from another Origin gets HTTP 403; the allowed Origin connects', T, async (t) => {
    const h = await setup(t, CORS_ONE);
    await expectStatus(h, `/?peerId=${peerId()}`, 403, { origin: 'http://evil.example' }, 'foreign Origin');
    await expectStatus(h, `/?peerId=${peerId()}`, 403, { origin: 'http://allowed.example:8080' }, 'same host, other port');
    await expectStatus(h, `/?peerId=${peerId()}`, 403, { origin: 'https://allowed.example' }, 'same host, other scheme');
    const c = await h.connect({ origin: ONE_ORIGIN });
    await c.sync();
  });

  test('[MUST] HTTP responses carry Access-Control-Allow-Origin: <CORS_ORIGIN>', T, async (t) => {
    const h = await setup(t, CORS_ONE);
    for (const gateway of h.gateways) { // each gateway answers HTTP itself
      const on = h.gatewayCount > 1 ? ` (gateway ${gateway})` : '';
      for (const path of ['/health', '/hubs', '/stats']) {
        const res = await h.http(path, { gateway, headers: { origin: ONE_ORIGIN } });
        assert.equal(res.status, 200, `${path}${on}: status`);
        assert.equal(res.headers['access-control-allow-origin'], ONE_ORIGIN, `${path}${on}: Access-Control-Allow-Origin`);
      }
      const opt = await h.http('/health', { gateway, method: 'OPTIONS', headers: { origin: ONE_ORIGIN } });
      assert.equal(opt.status, 200);
      assert.equal(opt.headers['access-control-allow-origin'], ONE_ORIGIN, `OPTIONS${on}: Access-Control-Allow-Origin`);
    }
  });
});

describe(`§6 CORS_ORIGIN=${LIST.join(',')}`, () => {
  test('[DECIDED] each listed Origin connects; any other Origin gets HTTP 403', T, async (t) => {
    const h = await setup(t, CORS_LIST);
    for (const origin of LIST) {
      const c = await h.connect({ origin, name: `from ${origin}` });
      await c.sync();
    }
    await expectStatus(h, `/?peerId=${peerId()}`, 403, { origin: 'http://c.example' }, 'unlisted Origin');
    await expectStatus(h, `/?peerId=${peerId()}`, 403, { origin: LIST.join(',') }, 'the whole list as one Origin');
  });
});
