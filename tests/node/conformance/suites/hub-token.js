// PROTOCOL.md §2 "peer-discovered / peer-disconnected from a hub: Accepted only on a hub connection (§5)" and §5
// "inbound hubs that present HUB_TOKEN (same header/query forms as AUTH_TOKEN)".
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { setup } from '../lib/harness.js';
import { networkName, peerId } from '../lib/ids.js';
import { discoveredOf, disconnectedOf } from '../lib/match.js';
import { serverConfig, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS } from '../lib/settings.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

const HUB_TOKEN = `hub-${randomBytes(8).toString('hex')}`;
const HUBTOKEN = serverConfig('hub-token', { HUB_TOKEN });

/** A remote hub's announce as upstream hubs send it (reference §7.3). */
function hubAnnounce() {
  return { type: 'announce', networkName: 'pigeonhub-mesh', data: { isHub: true, port: 1, host: '127.0.0.1', capabilities: ['signaling', 'relay'], timestamp: Date.now() } };
}

describe('§2/§5 hub privileges with HUB_TOKEN', () => {
  test('[DECIDED] an inbound hub presenting HUB_TOKEN may announce remote peers, relay for them and report their departure', T, async (t) => {
    const h = await setup(t, HUBTOKEN);
    const net = networkName('fed');
    const [M] = await h.joinMany(1, net, { prefix: 'M' });
    const H = await h.connect({ name: 'hub H', headers: { authorization: `Bearer ${HUB_TOKEN}` } });
    await H.send(hubAnnounce());
    await H.sync();
    const remote = peerId();
    await H.send({ type: 'peer-discovered', data: { peerId: remote, isHub: false, nick: 'remote' }, networkName: net, fromPeerId: 'system', timestamp: Date.now() });
    const d = await M.expect(discoveredOf(remote), 'peer-discovered about the remote peer, forwarded from the hub');
    assert.equal(d.networkName, net);
    assert.equal(d.fromPeerId, 'system');
    assert.equal(d.targetPeerId, M.peerId);
    assert.equal(d.data.isHub, false);
    await H.send({ type: 'offer', data: { type: 'offer', sdp: 'from-remote' }, networkName: net, fromPeerId: remote, targetPeerId: M.peerId, timestamp: Date.now() });
    const o = await M.expect((m) => m.type === 'offer' && m.data?.sdp === 'from-remote', 'the offer relayed by the hub on behalf of the remote peer');
    assert.equal(o.fromPeerId, remote, `"Only an authenticated federated hub link may relay on behalf of remote peers": ${JSON.stringify(o)}`);
    assert.equal(o.networkName, net);
    await H.send({ type: 'peer-disconnected', data: { peerId: remote, isHub: false }, networkName: net, fromPeerId: 'system', timestamp: Date.now() });
    const pd = await M.expect(disconnectedOf(remote), 'peer-disconnected about the remote peer ("peer-disconnected arriving on an inbound hub socket is processed")');
    assert.equal(pd.networkName, net);
    assert.equal(pd.targetPeerId, M.peerId);
  });
});
