// PROTOCOL.md §1 "server shutting down | 1001 `Server shutting down` (DECIDED …)". Uses its own server instance,
// which the test stops with SIGTERM to its process group (spread mode: the whole fleet, both gateways).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setup } from '../lib/harness.js';
import { serverConfig, stopAllServers } from '../lib/server.js';
import { TEST_TIMEOUT_MS, TIMEOUT_MS } from '../lib/settings.js';

const T = { timeout: TEST_TIMEOUT_MS };
after(stopAllServers);

const SHUTDOWN = serverConfig('shutdown', {});

describe('§1 shutdown', () => {
  test('[DECIDED] on SIGTERM every socket is closed 1001 "Server shutting down"', T, async (t) => {
    const h = await setup(t, SHUTDOWN);
    // Spread mode: one socket on each gateway; both must get the going-away close.
    const A = await h.connect({ name: 'A', gateway: 0 });
    const B = await h.connect({ name: 'B', gateway: 1 });
    await h.announce(A, 'global');
    await A.sync();
    await B.sync();
    h.srv.signal('SIGTERM');
    for (const c of [A, B]) {
      const info = await c.expectClose('close 1001 "Server shutting down"', TIMEOUT_MS * 2);
      assert.deepEqual({ code: info.code, reason: info.reason }, { code: 1001, reason: 'Server shutting down' }, `${c.who}: ${c.dump()}`);
    }
    await SHUTDOWN.stop();
  });
});
