// Our own rewrite of PeerPigeon-Go's examples/interop/dual-hub-test.js, with the two hubs being two gateways of our
// fleet: one raw-protocol client on each (client 1 on PEERPIGEON_URL, client 2 on PEERPIGEON_URL_2, both required),
// connected to `<url>/ws?peerId=<random id>` like upstream's client, both announce in one network with upstream's
// announce data, each discovers the other within 10 s (upstream's wait), then client 1 sends an `offer` to client 2
// and client 2 an `answer` to client 1, through the two gateways; both arrive with the relay shape of PROTOCOL.md §2
// and the sender's id. Run twice: in a network unique to the run, and in `global` itself (upstream's default), where
// other peers may be present, so everything is filtered by the two ids. PEERPIGEON_AUTH_TOKEN: the fleet's token.
//
// (Upstream's client sends its offer with a `targetPeer` field, which no server routes; this rewrite uses the
// protocol's `targetPeerId`.)
//
//   set -a; . deploy/local/.fleet/fleet.env; set +a; node --test tests/node/fleet/dual-gateway.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectRawPeer, randomHex, requireWsUrl, WAIT_MS } from './fleet-env.mjs';
import { assertPeerDiscovered, assertRelayed } from '../conformance/lib/shapes.js';

const DISCOVERY_MS = 10_000; // dual-hub-test.js waits 10 s for cross-hub discovery

/** `url` with the path `/ws`, as upstream's test client connects. */
function wsPath(url) {
  const u = new URL(url);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/ws`;
  return u.toString();
}

function gateways() {
  const first = requireWsUrl('PEERPIGEON_URL');
  const second = requireWsUrl('PEERPIGEON_URL_2', 'ws://127.0.0.1:3001');
  assert.notEqual(new URL(second).host, new URL(first).host,
    `PEERPIGEON_URL_2 must name a second gateway of the fleet, but both are ${new URL(first).host}`);
  return [first, second];
}

async function dualGateway(t, network) {
  const [hub1, hub2] = gateways();
  const id1 = randomHex(20);
  const id2 = randomHex(20);
  const clients = [];
  try {
    const [c1, c2] = await Promise.all([connectRawPeer(wsPath(hub1), id1), connectRawPeer(wsPath(hub2), id2)]);
    clients.push(c1, c2);

    // Announce both (upstream's announce data), then each must be told about the other within 10 s.
    const data1 = { testClient: true, clientNum: 1, isHub: false };
    const data2 = { testClient: true, clientNum: 2, isHub: false };
    const announcedAt = Date.now();
    await Promise.all([c1.announce(network, data1), c2.announce(network, data2)]);
    const about = (id) => (f) => f.type === 'peer-discovered' && f.data?.peerId === id;
    const left = () => Math.max(0, DISCOVERY_MS - (Date.now() - announcedAt));
    const [seen1, seen2] = await Promise.all([
      c1.waitFor(about(id2), `client 1 (gateway ${hub1}) to discover client 2 (gateway ${hub2}) in ${network} within ${DISCOVERY_MS} ms`, left()),
      c2.waitFor(about(id1), `client 2 (gateway ${hub2}) to discover client 1 (gateway ${hub1}) in ${network} within ${DISCOVERY_MS} ms`, left())
    ]);
    const discoveredIn = Date.now() - announcedAt;
    assertPeerDiscovered(seen1, { about: id2, to: id1, network, announceData: data2 });
    assertPeerDiscovered(seen2, { about: id1, to: id2, network, announceData: data1 });

    // Offer 1 -> 2 and answer 2 -> 1, each crossing both gateways.
    const offer = { type: 'offer', sdp: `v=0\r\no=- ${randomHex(4)} 2 IN IP4 127.0.0.1\r\ns=test-offer-sdp\r\n` };
    const answer = { type: 'answer', sdp: `v=0\r\no=- ${randomHex(4)} 2 IN IP4 127.0.0.1\r\ns=test-answer-sdp\r\n` };
    const relayedAt = Date.now();
    c1.send({ type: 'offer', data: offer, maxPeers: 3, networkName: network, targetPeerId: id2 });
    const gotOffer = await c2.waitFor((f) => f.type === 'offer' && f.fromPeerId === id1,
      `client 2 to receive client 1's offer through both gateways`);
    assertRelayed({ json: gotOffer, raw: JSON.stringify(gotOffer) }, { type: 'offer', from: id1, to: id2, network, data: offer });
    c2.send({ type: 'answer', data: answer, maxPeers: 3, networkName: network, targetPeerId: id1 });
    const gotAnswer = await c1.waitFor((f) => f.type === 'answer' && f.fromPeerId === id2,
      `client 1 to receive client 2's answer through both gateways`);
    assertRelayed({ json: gotAnswer, raw: JSON.stringify(gotAnswer) }, { type: 'answer', from: id2, to: id1, network, data: answer });

    // Neither got an error, and nothing was delivered twice.
    for (const [c, name] of [[c1, 'client 1'], [c2, 'client 2']]) {
      assert.deepEqual(c.frames.filter((f) => f.type === 'error'), [], `${name} must not receive an error`);
    }
    assert.equal(c2.frames.filter((f) => f.type === 'offer' && f.fromPeerId === id1).length, 1, 'client 2 gets the offer once');
    assert.equal(c1.frames.filter((f) => f.type === 'answer' && f.fromPeerId === id2).length, 1, 'client 1 gets the answer once');
    t.diagnostic(`${network}: mutual discovery across ${new URL(hub1).host} and ${new URL(hub2).host} in ${discoveredIn} ms ` +
      `(bound ${DISCOVERY_MS} ms); offer and answer relayed in ${Date.now() - relayedAt} ms`);
  } finally {
    for (const c of clients) c.close();
  }
}

test('dual gateway: clients on two gateways discover each other and exchange offer/answer (unique network)', { timeout: WAIT_MS * 3 }, async (t) => {
  await dualGateway(t, `dual-gateway-${randomHex(6)}`);
});

test('dual gateway: the same in the global network, filtering by the two ids', { timeout: WAIT_MS * 3 }, async (t) => {
  await dualGateway(t, 'global');
});
