// Shared expectations about hubs (PROTOCOL.md §5).
import assert from 'node:assert/strict';
import { PEER_ID_RE } from './ids.js';

export async function hubIds(h) {
  const { json } = await h.getJson('/hubs');
  return json.hubs.map((x) => x.peerId);
}

/** Shared by the custom-namespace suite. */
export async function expectSiloHubInNamespace(h, namespace) {
  const { json: health } = await h.getJson('/health');
  assert.ok(health.hubs >= 1, `/health hubs must count the silo hub(s) ("Each silo is registered as a hub"), got ${health.hubs}`);
  const listed = await hubIds(h);
  assert.ok(listed.length >= 1, `/hubs must list at least the silo hub, got ${JSON.stringify(listed)}`);
  const C = await h.connect({ name: 'C' });
  await h.announce(C, namespace);
  const m = await C.expect(
    (x) => x.type === 'peer-discovered' && x.data?.isHub === true && x.data?.peerId !== C.peerId,
    `peer-discovered about an isHub:true member of ${namespace} (the silo hub)`,
  );
  assert.match(m.data.peerId, PEER_ID_RE, 'the silo hub has a 40-hex hub peer id');
  assert.equal(m.networkName, namespace);
  assert.equal(m.targetPeerId, C.peerId);
  const now = await hubIds(h);
  assert.ok(now.includes(m.data.peerId), `the discovered hub ${m.data.peerId} must appear in /hubs: ${JSON.stringify(now)}`);
}

