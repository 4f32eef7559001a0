// A client reconnects while its previous socket is still open on the server (the half-open socket of a crashed
// client, simulated by a raw ws socket holding the same peer id and answering pings). Server (PEERPIGEON_SERVER_CMD,
// started by conformance/lib/server.js) once with DUPLICATE_PEER_POLICY=replace, once with reject (the default).
//   - replace: the official client's first attempt gets in (a member receives peer-discovered for it within 2 s of
//     its connect(), it never sees a 1008, it schedules no reconnect), the old socket is closed with 1008
//     `Replaced by a new connection`, and the server routes to the new socket.
//   - reject: each attempt is accepted and then closed with 1008 `Peer already connected`; the client retries (its
//     counter resets on every open, so always attempt 1: 1 s); once the test closes the old socket, right after a
//     refusal, the next attempt gets in, within its backoff window + 2 s of the last refusal.
//
//   PEERPIGEON_SERVER_CMD="dotnet src/PeerPigeon.Gateway/bin/Release/net10.0/PeerPigeon.Gateway.dll" \
//     node --test tests/node/reconnect/duplicate-policy.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomHex } from '../lib/official-client.mjs';
import { ascendingPeerIds, exitCleanly, withMeshSession } from '../lib/mesh-session.mjs';
import { describeSteps, rejoinWindow, REJOIN_SLACK_MS, scheduledReconnects } from '../lib/reconnect-probe.mjs';
import { connectRawPeer } from '../fleet/fleet-env.mjs';
import { serverConfig, stopAllServers } from '../conformance/lib/server.js';

const REPLACE = serverConfig('reconnect-replace', { DUPLICATE_PEER_POLICY: 'replace' });
const REJECT = serverConfig('reconnect-reject', { DUPLICATE_PEER_POLICY: 'reject' });
const FIRST_ATTEMPT_MS = 2000; // replace: in the mesh within 2 s of connecting
const REFUSALS = 2; // reject: refusals to see before the old socket goes
const WAIT_MS = 30_000;

exitCleanly('duplicate-policy', { cleanup: stopAllServers });

/** A member (raw observer), the old half-open socket of peer P (raw, announced), and the official client for P. */
async function setUp(config, session) {
  const url = (await config.server()).wsBase;
  const network = `duplicate-${randomHex(6)}`;
  const [idObserver, idP] = ascendingPeerIds(2);
  const observer = await connectRawPeer(url, idObserver, WAIT_MS);
  session.raw.push(observer);
  const old = await connectRawPeer(url, idP, WAIT_MS);
  session.raw.push(old);
  await observer.announce(network);
  await old.announce(network);
  await observer.waitFor((f) => f.type === 'peer-discovered' && f.data?.peerId === idP, 'the observer to see the old P');
  const p = await session.addMesh('P', { networkName: network, peerId: idP, enableWebDHT: false, enableCrypto: false, allowGlobalFallback: false });
  return { url, session, network, idP, idObserver, observer, old, p };
}

/** The first peer-discovered about `idP` the observer received at or after `since`; { frame, at }. */
async function observerSees(observer, idP, since, expected, timeoutMs = WAIT_MS) {
  const frame = await observer.waitFor(
    (f) => f.type === 'peer-discovered' && f.data?.peerId === idP && observer.receivedAt(f) >= since, expected, timeoutMs);
  return { frame, at: observer.receivedAt(frame) };
}

function run(config, body) {
  return withMeshSession(async (session) => {
    session.raw = [];
    try {
      await body(await setUp(config, session));
    } finally {
      for (const raw of session.raw) raw.close();
    }
  });
}

test('replace: a client whose old socket is still open gets in on its first attempt and the old socket is closed', { timeout: 90_000 }, async (t) => {
  await run(REPLACE, async ({ url, session, network, idP, idObserver, observer, old, p }) => {
    const connectAt = Date.now();
    await session.connect(p, url);
    const replaced = await old.waitClosed('the old socket of P to be closed by the server');
    assert.deepEqual([replaced.code, replaced.reason], [1008, 'Replaced by a new connection'], 'the old socket is closed with 1008 "Replaced by a new connection"');
    const seen = await observerSees(observer, idP, connectAt, 'the observer to receive peer-discovered for the new P');
    const inAfter = seen.at - connectAt;

    // Positive sync: the server routes to the new socket (a relayed frame arrives; the client ignores this type).
    observer.send({ type: 'recovery-offer', data: { probe: randomHex(4) }, networkName: network, targetPeerId: idP });
    await p.recorder.waitFor((r) => r.of('signalingIn').some((m) => m?.type === 'recovery-offer' && m?.from === idObserver),
      { expected: 'P\'s new socket to receive a frame relayed to P', timeoutMs: WAIT_MS, context: session.context });

    const sockets = session.probe.of(idP);
    const aboutP = observer.frames.filter((f) => f.data?.peerId === idP && observer.receivedAt(f) >= connectAt)
      .map((f) => `${f.type}${f.data.reason ? `(${f.data.reason})` : ''}`);
    t.diagnostic(`replace: P in the mesh ${inAfter} ms after connect() (bound ${FIRST_ATTEMPT_MS} ms); old socket closed ` +
      `${replaced.at - connectAt} ms after connect() with ${replaced.code} "${replaced.reason}"; the observer saw [${aboutP}]`);
    assert.ok(inAfter <= FIRST_ATTEMPT_MS, `P must be discovered within ${FIRST_ATTEMPT_MS} ms of connecting, took ${inAfter} ms`);
    assert.equal(sockets.length, 1, 'P\'s first attempt must be its only one');
    assert.equal(sockets[0].closed, null, `P's socket must stay open (no 1008), got ${JSON.stringify(sockets[0].closed)}`);
    assert.deepEqual(scheduledReconnects(p), [], 'P must not schedule any reconnect');
    assert.equal(aboutP.at(-1), 'peer-discovered', `the observer's last word about P must be that it is there, got [${aboutP}]`);
  });
});

test('reject: the same client is refused with 1008 until the old socket is gone, then gets in by its backoff', { timeout: 90_000 }, async (t) => {
  await run(REJECT, async ({ url, session, idP, observer, old, p }) => {
    const { probe } = session;
    await session.connect(p, url); // resolves on open: the refusal is a close frame right after it
    const refused = (s) => s.peerId === idP && s.closed?.code === 1008;
    await probe.waitFor((s) => s.filter(refused).length >= REFUSALS, {
      expected: `P's attempts to be refused ${REFUSALS} times while the old socket is open`, timeoutMs: WAIT_MS, context: session.context
    });
    // Right after a refusal: the client's next attempt is a whole delay away, so it cannot race the close.
    const closedAt = Date.now();
    old.close();
    await old.waitClosed('the old socket to close');
    const seen = await observerSees(observer, idP, closedAt, 'the observer to receive peer-discovered for P once the old socket is gone');

    const sockets = probe.of(idP);
    const lastRefusal = sockets.filter((s) => s.closed).at(-1);
    for (const s of sockets.slice(0, -1)) {
      assert.deepEqual([s.closed?.code, s.closed?.reason], [1008, 'Peer already connected'], `P's attempt #${s.index} must be refused`);
      assert.ok(s.createdAt < closedAt, `refused attempt #${s.index} must predate the old socket's close`);
    }
    assert.ok(sockets.at(-1).createdAt > closedAt && sockets.at(-1).closed === null, 'P gets in with an attempt made after the old socket closed');
    for (const r of scheduledReconnects(p)) {
      assert.deepEqual([r.scheduled.attempt, r.scheduled.delay], [1, 1000], 'every refusal follows an open, which resets the client to attempt 1 (1 s)');
    }
    assert.ok(!observer.frames.some((f) => f.type === 'peer-disconnected' && f.data?.peerId === idP && observer.receivedAt(f) < closedAt),
      'a refused attempt must not look like a departure of P to the network');
    const { window, steps } = rejoinWindow(probe, p, lastRefusal);
    const rejoin = seen.at - lastRefusal.closed.at;
    t.diagnostic(`reject: ${sockets.length - 1} refusals (1008 "Peer already connected"); old socket closed by the test; ` +
      `${describeSteps(steps)}`);
    t.diagnostic(`reject: backoff window ${window} ms, measured ${rejoin} ms from the last refusal to the observer's ` +
      `peer-discovered (${seen.at - closedAt} ms after the old socket's close); bound ${window + REJOIN_SLACK_MS} ms`);
    assert.ok(rejoin <= window + REJOIN_SLACK_MS, `P must be back within ${window} + ${REJOIN_SLACK_MS} ms of its last refusal, took ${rejoin} ms`);
  });
});
