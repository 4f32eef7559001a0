// Must-show of the core issue: a server hit with the bad-input list keeps serving a healthy pair of peers throughout,
// and its memory (RSS from /health) returns to within 20% of the pre-attack level.
// Runs the real server process: PEERPIGEON_SERVER_CMD (a shell command), extra env in PEERPIGEON_SERVER_ENV (JSON).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import WebSocket from 'ws';

const ROUNDS = 3;
const FLOOD = 5000;
const WAIT_MS = 10_000;

let server;
let base;
const log = [];

const newId = () => randomBytes(20).toString('hex');
const health = async () => (await fetch(`http://${base}/health`)).json();

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().on('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A socket with an inbox; waits are bounded and say what was expected and what arrived.
function connect(id, { path = '/' } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${base}${path}?peerId=${id}`, { maxPayload: 64 * 1024 * 1024 });
    ws.inbox = [];
    ws.waiters = [];
    ws.closed = new Promise((done) => ws.on('close', (code, reason) => done({ code, reason: reason.toString() })));
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString());
      ws.inbox.push(frame);
      ws.waiters = ws.waiters.filter((w) => !(w.match(frame) && (w.resolve(frame), true)));
    });
    ws.expect = (match, what, ms = WAIT_MS) => {
      const found = ws.inbox.findIndex(match);
      if (found >= 0) return Promise.resolve(ws.inbox.splice(found, 1)[0]);
      return new Promise((resolve, rejectWait) => {
        const timer = setTimeout(() => rejectWait(new Error(
          `expected ${what} within ${ms} ms; last frames: ${JSON.stringify(ws.inbox.slice(-5))}`)), ms);
        ws.waiters.push({ match, resolve: (f) => { clearTimeout(timer); ws.inbox.splice(ws.inbox.indexOf(f), 1); resolve(f); } });
      });
    };
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

before(async () => {
  const cmd = process.env.PEERPIGEON_SERVER_CMD;
  assert.ok(cmd, 'PEERPIGEON_SERVER_CMD must name the command that starts the server under test');
  const port = await freePort();
  base = `127.0.0.1:${port}`;
  const extra = process.env.PEERPIGEON_SERVER_ENV ? JSON.parse(process.env.PEERPIGEON_SERVER_ENV) : {};
  server = spawn('sh', ['-c', `exec ${cmd}`], {
    env: { ...process.env, ...extra, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (d) => log.push(d.toString()));
  server.stderr.on('data', (d) => log.push(d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://${base}/health`)).ok) return;
    } catch { /* not up yet */ }
    assert.equal(server.exitCode, null, `server exited early:\n${log.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`server did not answer /health within 60 s:\n${log.join('')}`);
});

after(() => server?.kill('SIGTERM'));

test('bad input never disturbs a healthy pair, and memory returns to within 20% of the pre-attack level', async () => {
  const network = `healthy-${newId().slice(0, 8)}`;
  const [a, b] = [await connect(newId()), await connect(newId())];
  const [aId, bId] = [new URL(a.url).searchParams.get('peerId'), new URL(b.url).searchParams.get('peerId')];
  a.send(JSON.stringify({ type: 'announce', data: { peerId: aId }, networkName: network }));
  b.send(JSON.stringify({ type: 'announce', data: { peerId: bId }, networkName: network }));
  await a.expect((f) => f.type === 'peer-discovered' && f.data.peerId === bId, 'A discovers B');

  // The healthy pair relays an offer/answer round trip continuously; every round trip is bounded.
  let trips = 0;
  let failure = null;
  let running = true;
  const pair = (async () => {
    while (running) {
      const n = trips;
      a.send(JSON.stringify({ type: 'offer', data: { type: 'offer', sdp: `v=0 ${n}` }, targetPeerId: bId, networkName: network }));
      await b.expect((f) => f.type === 'offer' && f.data.sdp === `v=0 ${n}`, `B receives offer ${n}`, 3000);
      b.send(JSON.stringify({ type: 'answer', data: { type: 'answer', sdp: `v=0 ${n}` }, targetPeerId: aId, networkName: network }));
      await a.expect((f) => f.type === 'answer' && f.data.sdp === `v=0 ${n}`, `A receives answer ${n}`, 3000);
      trips++;
    }
  })().catch((e) => { failure = e; });
  const tripsAtLeast = async (count) => {
    const deadline = Date.now() + 30_000;
    while (trips < count && !failure && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(failure, null, `the healthy pair failed: ${failure?.message}`);
    assert.ok(trips >= count, `the healthy pair made only ${trips} of ${count} round trips in 30 s`);
  };

  await tripsAtLeast(200);
  const baseline = (await health()).memory.rss;

  for (let round = 0; round < ROUNDS; round++) {
    const x = await connect(newId());
    const error = (text, what) => x.expect((f) => f.type === 'error' && f.error.includes(text), what);
    x.send('this is not json');
    await error('Invalid JSON', 'an error for invalid JSON');
    for (const body of ['[1,2,3]', '"text"', '42', 'null']) {
      x.send(body);
      await error('expected a JSON object', `an error for non-object JSON ${body}`);
    }
    x.send(JSON.stringify({ type: 'offer', targetPeerId: 5, data: {} }));
    await error("'targetPeerId'", 'an error for targetPeerId: 5');
    x.send(JSON.stringify({ type: 'offer', targetPeerId: aId, data: 'x' }));
    await error("'data'", 'an error for data: "x"');
    x.send(JSON.stringify({ type: 'announce', networkName: {} }));
    await error("'networkName'", 'an error for networkName: {}');
    x.send(JSON.stringify({ type: 'announce', networkName: 'n'.repeat(10_000) }));
    await error("'networkName'", 'an error for a 10 000-character network name');
    x.send(JSON.stringify({ type: 'announce', data: { blob: 'b'.repeat(500 * 1024) } }));
    await error('Announce data too large', 'an error for 500 KB of announce data');
    for (let i = 0; i < FLOOD; i++) x.send(JSON.stringify({ type: `junk-${i % 50}`, data: {} }));
    for (let i = 0; i < FLOOD; i++) await error('Unsupported message type', `error ${i + 1} of ${FLOOD} for the unknown-type flood`);
    x.send(JSON.stringify({ type: 'offer', targetPeerId: aId, data: { sdp: 'x'.repeat(2 * 1024 * 1024) } }));
    const closed = await Promise.race([x.closed, new Promise((r) => setTimeout(() => r(null), WAIT_MS))]);
    assert.deepEqual(closed && closed.code, 1009, `a 2 MB frame must close the socket with 1009, got ${JSON.stringify(closed)}`);
    assert.equal(failure, null, `the healthy pair failed during attack round ${round + 1}: ${failure?.message}`);
  }

  await tripsAtLeast(trips + 100);
  running = false;
  await pair;
  assert.equal(failure, null, `the healthy pair failed: ${failure?.message}`);

  // The server trims memory after a burst (checked every 10 s), so allow a bounded minute for it to settle.
  const samples = [];
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const rss = (await health()).memory.rss;
    samples.push(rss);
    if (rss <= baseline * 1.2) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const mb = (bytes) => (bytes / 1048576).toFixed(1);
  const last = samples.at(-1);
  console.log(`# rss baseline ${mb(baseline)} MB, after attack ${samples.map(mb).join(', ')} MB; ${trips} healthy round trips`);
  assert.ok(last <= baseline * 1.2,
    `RSS did not return within 20% of the pre-attack ${mb(baseline)} MB in 60 s: samples ${samples.map(mb).join(', ')} MB`);
  a.close();
  b.close();
});
