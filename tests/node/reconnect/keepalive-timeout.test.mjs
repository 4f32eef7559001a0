// A client whose signaling socket goes quiet is dropped by the server's keepalive and comes back by itself.
// Server (PEERPIGEON_SERVER_CMD, started by conformance/lib/server.js) with KEEPALIVE_INTERVAL_MS=500 and
// PEER_TIMEOUT_MS=3000. Official meshes X and Y connect over WebRTC; X's first WebSocket is created with
// `autoPong: false` and the test answers the pings for it until X and Y are connected, then stops: X has nothing
// more to signal, so the socket is silent. The server aborts it about 3 s later (Y is told `peer-disconnected` for X
// with reason `timeout`), X reconnects with its own backoff (attempt 1 with a WebRTC peer: 3 s) and is back in its
// mesh (re-announced, Y gets `peer-discovered` for X) within that window + 2 s; X and Y still exchange messages, and
// a newcomer Z discovers and connects to X.
//
//   PEERPIGEON_SERVER_CMD="dotnet src/PeerPigeon.Gateway/bin/Release/net10.0/PeerPigeon.Gateway.dll" \
//     node --test tests/node/reconnect/keepalive-timeout.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomHex, withTimeout } from '../lib/official-client.mjs';
import { ascendingPeerIds, exitCleanly, withMeshSession } from '../lib/mesh-session.mjs';
import { describeSteps, receivedAbout, rejoinWindow, REJOIN_SLACK_MS, sentAt } from '../lib/reconnect-probe.mjs';
import { serverConfig, stopAllServers } from '../conformance/lib/server.js';

const KEEPALIVE_MS = 500;
const PEER_TIMEOUT_MS = 3000; // the validator's minimum is 100 for both
const QUIET = serverConfig('reconnect-keepalive', {
  KEEPALIVE_INTERVAL_MS: String(KEEPALIVE_MS),
  PEER_TIMEOUT_MS: String(PEER_TIMEOUT_MS)
});
const WAIT_MS = 30_000; // every wait for something that should happen

exitCleanly('keepalive-timeout', { cleanup: stopAllServers });

test('a client dropped by the keepalive timeout reconnects with its own backoff and is back in its mesh', { timeout: 120_000 }, (t) => withMeshSession(async (session) => {
  const url = (await QUIET.server()).wsBase;
  const { probe } = session;
  const network = `reconnect-${randomHex(6)}`;
  const [idX, idY, idZ] = ascendingPeerIds(3); // Y initiates to X, Z to both
  const common = { networkName: network, enableWebDHT: false, enableCrypto: false, allowGlobalFallback: false };
  const x = await session.addMesh('X', { ...common, peerId: idX });
  const y = await session.addMesh('Y', { ...common, peerId: idY });
  const wait = (m, predicate, expected, timeoutMs = WAIT_MS) =>
    m.recorder.waitFor(predicate, { expected, timeoutMs, context: session.context });
  const connected = (m, id) => (r) => r.of('peerConnected').some((d) => d?.peerId === id);

  probe.controlPongsOfNextSocket(idX);
  await session.connect(x, url);
  await session.connect(y, url);
  await Promise.all([
    wait(x, connected(x, idY), 'X to report Y connected over WebRTC'),
    wait(y, connected(y, idX), 'Y to report X connected over WebRTC')
  ]);

  // X's socket goes quiet now that X has nothing left to signal; the server aborts it PEER_TIMEOUT_MS after the
  // last bytes it received (no close frame, so the client sees 1006).
  const quiet = probe.stopAnsweringPings(idX);
  const first = await probe.waitFor((s) => s.find((r) => r.peerId === idX && r.index === 0 && r.closed), {
    expected: `the server to drop X's socket, which answers no pings, about ${PEER_TIMEOUT_MS} ms after X's last frame`,
    timeoutMs: PEER_TIMEOUT_MS + WAIT_MS,
    context: session.context
  });
  const droppedAt = first.closed.at;
  assert.equal(first.closed.code, 1006, `an aborted socket closes without a close frame (1006), got ${JSON.stringify(first.closed)}`);
  const lastSent = Math.max(quiet.quietSince, x.recorder.t0 + (x.recorder.events.filter((e) => e.type === 'signalingOut').at(-1)?.at ?? 0));
  const idle = droppedAt - lastSent;
  assert.ok(idle >= PEER_TIMEOUT_MS - KEEPALIVE_MS && idle <= PEER_TIMEOUT_MS + REJOIN_SLACK_MS,
    `the server should drop a socket ${PEER_TIMEOUT_MS} ms after it last heard from it (one ping interval earlier at ` +
    `most, ${REJOIN_SLACK_MS} ms later at most), dropped X ${idle} ms after its last pong or frame`);
  const told = await wait(y, receivedAbout('peer-disconnected', idX), 'Y to be told that X departed');
  assert.equal(told.reason, 'timeout', 'the departure reason for a socket that sent nothing must be `timeout`');

  // Back in its mesh: X re-announced and Y received peer-discovered for X again.
  const back = await wait(y, receivedAbout('peer-discovered', idX, droppedAt), 'Y to receive peer-discovered for X after X reconnected');
  const { window, steps } = rejoinWindow(probe, x, first);
  const announcedAt = sentAt(x, 'announce', droppedAt);
  assert.ok(announcedAt !== undefined && announcedAt <= back.at, 'X must have re-announced before Y rediscovered it');
  const rejoin = back.at - droppedAt;
  t.diagnostic(`X dropped ${idle} ms after its last pong or frame (1006; Y told "timeout" ${told.at - droppedAt} ms later); ${describeSteps(steps)}`);
  t.diagnostic(`rejoin: backoff window ${window} ms, measured ${rejoin} ms from the drop to Y's peer-discovered ` +
    `(re-announce at ${announcedAt - droppedAt} ms); bound ${window + REJOIN_SLACK_MS} ms`);
  assert.equal(steps[0].peers, 1, 'X had its WebRTC peer Y when it was dropped, so its backoff is the ×3 one');
  assert.ok(rejoin <= window + REJOIN_SLACK_MS,
    `X must be back within its backoff window ${window} ms + ${REJOIN_SLACK_MS} ms, took ${rejoin} ms (${describeSteps(steps)})`);

  // The WebRTC link outlived the signaling socket: messages both ways.
  for (const [from, to, toId] of [[x, y, idY], [y, x, idX]]) {
    const content = `${from.name} to ${to.name} after the reconnect (${randomHex(4)})`;
    const got = wait(to, (r) => r.of('messageReceived').find((m) => m?.content === content), `${to.name} to receive ${JSON.stringify(content)}`);
    await withTimeout(from.mesh.sendDirectMessage(toId, content), WAIT_MS, `${from.name}.sendDirectMessage`, session.observed);
    assert.equal((await got).from, from.mesh.peerId);
  }

  // A newcomer meets X through the server and connects to it.
  const z = await session.addMesh('Z', { ...common, peerId: idZ });
  await session.connect(z, url);
  await Promise.all([
    wait(z, (r) => r.of('peerDiscovered').some((d) => d?.peerId === idX), 'newcomer Z to discover X'),
    wait(z, connected(z, idX), 'newcomer Z to connect to X over WebRTC'),
    wait(x, connected(x, idZ), 'X to report newcomer Z connected')
  ]);
}));
