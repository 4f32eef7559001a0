// PROTOCOL.md §2 "DECIDED option MAX_DISCOVERY_PEERS … only the N members closest by true 160-bit XOR distance".
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setup } from '../lib/harness.js';
import { closestByXor, designedId, networkName } from '../lib/ids.js';
import { anyDiscovered, discoveredOf } from '../lib/match.js';
import { serverConfig, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS, WINDOW_MS } from '../lib/settings.js';
import { assertPeerDiscovered } from '../lib/shapes.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

const CAP = 3;
const CAPPED = serverConfig('max-discovery-3', { MAX_DISCOVERY_PEERS: String(CAP) });

describe(`§2 MAX_DISCOVERY_PEERS=${CAP}`, () => {
  test('[DECIDED] each announcer is introduced to, and told about, only its N XOR-closest members', T, async (t) => {
    const h = await setup(t, CAPPED);
    const net = networkName('xor');
    // Ids chosen so that the true XOR order differs from join order, from lexicographic order and from upstream's
    // "sum of per-digit XOR" metric. The final joiner X = 8000…; its true closest are 8eee…, 8fff…, 9000….
    const plan = [
      ['m5', designedId('0', '0')],
      ['m3', designedId('9', '0')],
      ['m6', designedId('7', 'f')],
      ['m1', designedId('8', 'f')],
      ['m7', designedId('c', '0')],
      ['m4', designedId('a', '0')],
      ['m2', designedId('8', 'e')],
      ['m8', designedId('1', 'b')],
      ['X', designedId('8', '0')],
    ];
    const joined = [];
    const expected = new Map(); // client -> Set of peer ids it must be told about
    for (const [name, id] of plan) {
      const c = await h.connect({ id, name });
      expected.set(c, new Set());
      const existing = joined.map((j) => j.peerId);
      const closest = closestByXor(id, existing, CAP);
      for (const other of joined) {
        if (closest.includes(other.peerId)) {
          expected.get(c).add(other.peerId);
          expected.get(other).add(id);
        }
      }
      await h.announce(c, net, { name });
      // The announcer's introductions arrive on its own socket; wait for each one.
      for (const pid of closest) {
        const m = await c.expect(discoveredOf(pid), `${name}: peer-discovered about its XOR-close member ${pid}`);
        const other = joined.find((j) => j.peerId === pid);
        assertPeerDiscovered(m, { about: pid, to: id, network: net, announceData: { peerId: pid, name: other.name } });
      }
      for (const other of joined) {
        if (closest.includes(other.peerId)) await other.expect(discoveredOf(id), `${other.name}: peer-discovered about ${name}`);
      }
      joined.push(c);
    }
    for (const c of joined) await c.sync();
    await new Promise((r) => setTimeout(r, WINDOW_MS)); // observation window for cross-socket stragglers, after the sync points
    for (const c of joined) {
      const got = c.framesWhere(anyDiscovered).map((f) => f.json.data.peerId);
      const want = [...expected.get(c)];
      assert.deepEqual(
        [...got].sort(),
        [...want].sort(),
        `${c.name} (${c.peerId}) must be told about exactly its XOR-selected peers, once each.\n  expected: ${want.join(', ')}\n${c.dump()}`,
      );
    }
    const X = joined.at(-1);
    const names = [...expected.get(X)].map((pid) => joined.find((j) => j.peerId === pid).name).sort();
    assert.deepEqual(names, ['m1', 'm2', 'm3'], 'sanity: the plan makes m1, m2, m3 the closest to X');
  });
});
