// Shared expectations about departures (PROTOCOL.md §3).
import { discoveredOf, disconnectedOf } from './match.js';
import { assertPeerDisconnected } from './shapes.js';

/** Announces `clients` in `net` one by one and waits until every pair has discovered each other. */
export async function mesh(h, count, net, prefix = 'm') {
  const clients = await h.joinMany(count, net, { prefix });
  for (const a of clients) {
    for (const b of clients) if (a !== b) await a.expect(discoveredOf(b.peerId), `peer-discovered about ${b.name}`);
  }
  return clients;
}

/**
 * §3 "every remaining member of that network only gets once": one peer-disconnected per member (exact shape),
 * then, after a sync point, no second one; `outsiders` get none.
 */
export async function expectOneDisconnect(members, departed, net, { isHub = false, outsiders = [] } = {}) {
  const recs = [];
  for (const m of members) {
    const rec = await m.expectRecord(disconnectedOf(departed.peerId), `peer-disconnected about ${departed.name} on ${m.name}`);
    assertPeerDisconnected(rec.json, { about: departed.peerId, to: m.peerId, network: net, isHub });
    recs.push(rec);
  }
  for (const m of members) await m.sync();
  for (const m of [...members, ...outsiders]) {
    await m.expectNoFrame(disconnectedOf(departed.peerId), `${members.includes(m) ? 'a second' : 'any'} peer-disconnected about ${departed.name}`);
  }
  return recs;
}

