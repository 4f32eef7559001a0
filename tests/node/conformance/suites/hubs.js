// PROTOCOL.md §5 hubs as seen by a client (default configuration): the silo hub(s) and hub-flagged clients.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setup } from '../lib/harness.js';
import { networkName } from '../lib/ids.js';
import { discoveredOf } from '../lib/match.js';
import { DEFAULT, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS } from '../lib/settings.js';
import { expectSiloHubInNamespace, hubIds } from '../lib/hubs.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

describe('§5 hubs seen from a client', () => {
  test('[DECIDED] a client announcing in pigeonhub-mesh discovers an isHub:true silo hub that /hubs lists', T, async (t) => {
    const h = await setup(t, DEFAULT);
    await expectSiloHubInNamespace(h, 'pigeonhub-mesh');
  });

  test('[MUST] a client announcing data.isHub:true or in the hub namespace is listed in /hubs while connected', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const H1 = await h.connect({ name: 'H1 (isHub:true)' });
    await h.announce(H1, networkName('hubflag'), { isHub: true });
    const H2 = await h.connect({ name: 'H2 (hub namespace)' });
    await h.announce(H2, 'pigeonhub-mesh');
    const P = await h.connect({ name: 'P (plain)' });
    await h.announce(P, networkName('plain'));
    await h.until(async () => {
      const ids = await hubIds(h);
      return ids.includes(H1.peerId) && ids.includes(H2.peerId) ? ids : { ok: false, seen: ids };
    }, 'both hub-flagged clients listed in /hubs');
    assert.ok(!(await hubIds(h)).includes(P.peerId), 'a plain client is not a hub');
    const { json } = await h.getJson('/hubs');
    const e1 = json.hubs.find((x) => x.peerId === H1.peerId);
    assert.equal(e1.data.isHub, true, `/hubs entry data is the announce data: ${JSON.stringify(e1)}`);
    await H1.close(1000, 'bye');
    await H2.terminate();
    await h.until(async () => {
      const ids = await hubIds(h);
      return !ids.includes(H1.peerId) && !ids.includes(H2.peerId) ? ids : { ok: false, seen: ids };
    }, 'departed hub clients removed from /hubs ("every connected external hub")');
  });

  test('[MUST] hub-namespace members discover each other with isHub:true', T, async (t) => {
    const h = await setup(t, DEFAULT);
    const A = await h.connect({ name: 'A' });
    await h.announce(A, 'pigeonhub-mesh');
    await A.sync();
    const B = await h.connect({ name: 'B' });
    await h.announce(B, 'pigeonhub-mesh');
    const m = await B.expect(discoveredOf(A.peerId), 'peer-discovered about A in the hub namespace');
    assert.equal(m.data.isHub, true);
    const m2 = await A.expect(discoveredOf(B.peerId), 'peer-discovered about B in the hub namespace');
    assert.equal(m2.data.isHub, true);
  });
});
