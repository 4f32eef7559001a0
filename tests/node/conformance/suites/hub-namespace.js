// PROTOCOL.md §2 / §5 / §6 HUB_MESH_NAMESPACE set to a custom name.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setup } from '../lib/harness.js';
import { expectSiloHubInNamespace } from '../lib/hubs.js';
import { discoveredOf } from '../lib/match.js';
import { serverConfig, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS } from '../lib/settings.js';
import { assertPeerDiscovered } from '../lib/shapes.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

const NS = 'conformance-hubs';
const CUSTOM = serverConfig('hub-namespace-custom', { HUB_MESH_NAMESPACE: NS });

describe(`§2 HUB_MESH_NAMESPACE=${NS}`, () => {
  test('[MUST] announcing in the configured hub namespace marks isHub:true; "pigeonhub-mesh" is then an ordinary network', T, async (t) => {
    const h = await setup(t, CUSTOM);
    const A = await h.connect({ name: 'A' });
    await h.announce(A, NS);
    await A.sync();
    const B = await h.connect({ name: 'B' });
    await h.announce(B, NS);
    assertPeerDiscovered(await A.expect(discoveredOf(B.peerId), 'peer-discovered about B in the custom hub namespace'), {
      about: B.peerId, to: A.peerId, network: NS, announceData: { peerId: B.peerId }, isHub: true,
    });
    const P = await h.connect({ name: 'P' });
    await h.announce(P, 'pigeonhub-mesh');
    await P.sync();
    const Q = await h.connect({ name: 'Q' });
    await h.announce(Q, 'pigeonhub-mesh');
    assertPeerDiscovered(await P.expect(discoveredOf(Q.peerId), 'peer-discovered about Q in "pigeonhub-mesh"'), {
      about: Q.peerId, to: P.peerId, network: 'pigeonhub-mesh', announceData: { peerId: Q.peerId }, isHub: false,
    });
  });

  test('[DECIDED] the silo hub is an isHub:true member of the configured namespace and is listed in /hubs', T, async (t) => {
    const h = await setup(t, CUSTOM);
    await expectSiloHubInNamespace(h, NS);
  });

  test('[DECIDED] /stats hubMeshNamespace and /metrics server.namespace report the configured namespace', T, async (t) => {
    const h = await setup(t, CUSTOM);
    for (const gateway of h.gateways) {
      assert.equal((await h.getJson('/stats', undefined, { gateway })).json.hubMeshNamespace, NS, `/stats hubMeshNamespace of gateway ${gateway}`);
      assert.equal((await h.getJson('/metrics', undefined, { gateway })).json.server.namespace, NS, `/metrics server.namespace of gateway ${gateway}`);
    }
  });
});
