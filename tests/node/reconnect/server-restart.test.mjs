// Clients come back by themselves after the server restarts. Server (PEERPIGEON_SERVER_CMD, started by
// conformance/lib/server.js, default settings): official meshes A and B connect over WebRTC; the server process is
// stopped gracefully (SIGTERM: every socket gets the close frame 1001 `Server shutting down`) and started again on
// the same port, with no state (the embedded cluster is new). Each client reconnects with its own backoff (with a
// WebRTC peer: 3 s, then 6 s, 12 s, ... while the port refuses) and they rediscover each other:
//   - each client's new socket opens within the sum of the delays of the attempts it needed + 2 s of its drop;
//   - each is rediscovered by the other within the longer of the two windows + 2 s (a client alone in the restarted
//     server has no one to be discovered by until the other is back);
//   - the WebRTC link outlives the outage (no peerDisconnected, a direct message still arrives).
//
//   PEERPIGEON_SERVER_CMD="dotnet src/PeerPigeon.Gateway/bin/Release/net10.0/PeerPigeon.Gateway.dll" \
//     node --test tests/node/reconnect/server-restart.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomHex, withTimeout } from '../lib/official-client.mjs';
import { ascendingPeerIds, exitCleanly, withMeshSession } from '../lib/mesh-session.mjs';
import { describeSteps, receivedAbout, rejoinWindow, REJOIN_SLACK_MS } from '../lib/reconnect-probe.mjs';
import { serverConfig, stopAllServers } from '../conformance/lib/server.js';

const RESTARTED = serverConfig('reconnect-restart', {});
const WAIT_MS = 30_000;
const REJOIN_WAIT_MS = 60_000; // attempts at 3, 9, 21, 45 s after the drop: room for a slow restart

exitCleanly('server-restart', { cleanup: stopAllServers });

test('after a graceful server restart on the same port the clients reconnect with their own backoff and rediscover each other', { timeout: 150_000 }, (t) => withMeshSession(async (session) => {
  const before = await RESTARTED.server();
  const url = before.wsBase;
  const { probe } = session;
  const network = `restart-${randomHex(6)}`;
  const [idA, idB] = ascendingPeerIds(2);
  const common = { networkName: network, enableWebDHT: false, enableCrypto: false, allowGlobalFallback: false };
  const a = await session.addMesh('A', { ...common, peerId: idA });
  const b = await session.addMesh('B', { ...common, peerId: idB });
  const wait = (m, predicate, expected, timeoutMs = WAIT_MS) =>
    m.recorder.waitFor(predicate, { expected, timeoutMs, context: session.context });
  const connected = (id) => (r) => r.of('peerConnected').some((d) => d?.peerId === id);
  await session.connect(a, url);
  await session.connect(b, url);
  await Promise.all([wait(a, connected(idB), 'A to connect to B over WebRTC'), wait(b, connected(idA), 'B to connect to A over WebRTC')]);

  const stoppingAt = Date.now();
  const restarting = RESTARTED.restart();
  const firstSockets = await probe.waitFor((s) => {
    const firsts = s.filter((r) => r.index === 0 && r.closed);
    return firsts.length === 2 && firsts;
  }, { expected: 'both clients to see their socket closed by the stopping server', timeoutMs: WAIT_MS, context: session.context });
  for (const s of firstSockets) {
    assert.deepEqual([s.closed.code, s.closed.reason], [1001, 'Server shutting down'],
      `a graceful stop closes every socket with 1001 "Server shutting down" (${s.peerId.slice(0, 8)})`);
  }
  const restarted = await withTimeout(restarting, WAIT_MS + 15_000, 'the server to stop and start again', session.observed);
  assert.equal(restarted.port, before.port, 'the restarted server must listen on the same port (the clients keep their URL)');
  const downFor = restarted.healthyAt - stoppingAt;

  // Both back: each receives peer-discovered about the other after its own drop.
  const dropped = Object.fromEntries(firstSockets.map((s) => [s.peerId, s]));
  const droppedAt = Object.fromEntries(firstSockets.map((s) => [s.peerId, s.closed.at]));
  const [aSeesB, bSeesA] = await Promise.all([
    wait(a, receivedAbout('peer-discovered', idB, droppedAt[idA]), 'A to rediscover B after the restart', REJOIN_WAIT_MS),
    wait(b, receivedAbout('peer-discovered', idA, droppedAt[idB]), 'B to rediscover A after the restart', REJOIN_WAIT_MS)
  ]);
  const rejoined = { [idA]: bSeesA.at, [idB]: aSeesB.at }; // when each was rediscovered by the other
  const figures = [a, b].map((m) => {
    const id = m.mesh.peerId;
    const { window, steps } = rejoinWindow(probe, m, dropped[id]);
    const opened = probe.of(id).at(-1).openedAt - droppedAt[id];
    return { m, window, steps, opened, rediscovered: rejoined[id] - droppedAt[id] };
  });
  const longest = Math.max(...figures.map((f) => f.window));
  t.diagnostic(`server down ${downFor} ms (SIGTERM to healthy again on port ${restarted.port})`);
  for (const f of figures) {
    t.diagnostic(`${f.m.name}: ${describeSteps(f.steps)}`);
    t.diagnostic(`${f.m.name}: backoff window ${f.window} ms; socket open at ${f.opened} ms, rediscovered at ` +
      `${f.rediscovered} ms after its drop; bounds ${f.window + REJOIN_SLACK_MS} / ${longest + REJOIN_SLACK_MS} ms`);
  }
  for (const f of figures) {
    assert.ok(f.steps[0].peers > 0, `${f.m.name} had its WebRTC peer when dropped (×3 backoff)`);
    assert.ok(f.opened <= f.window + REJOIN_SLACK_MS,
      `${f.m.name} must reconnect within its backoff window ${f.window} ms + ${REJOIN_SLACK_MS} ms, took ${f.opened} ms`);
    assert.ok(f.rediscovered <= longest + REJOIN_SLACK_MS,
      `${f.m.name} must be rediscovered within the longer window ${longest} ms + ${REJOIN_SLACK_MS} ms, took ${f.rediscovered} ms`);
  }

  // The WebRTC link lived through the outage.
  for (const [m, other] of [[a, idB], [b, idA]]) {
    assert.ok(!m.recorder.of('peerDisconnected').some((d) => d?.peerId === other), `${m.name} must not have lost its WebRTC peer`);
  }
  const content = `A to B after the restart (${randomHex(4)})`;
  const got = wait(b, (r) => r.of('messageReceived').find((x) => x?.content === content), `B to receive ${JSON.stringify(content)}`);
  await withTimeout(a.mesh.sendDirectMessage(idB, content), WAIT_MS, 'A.sendDirectMessage', session.observed);
  assert.equal((await got).from, idA);
}));
