// Starts the server under test (PEERPIGEON_SERVER_CMD) with a given configuration, lazily, one
// configuration at a time, and stops exactly the processes it started (by process group). In spread mode
// (PEERPIGEON_SPREAD=2) the command starts a fleet with two gateways, on PORT and SECOND_PORT.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { httpRequest } from './http.js';
import { SPREAD, START_TIMEOUT_MS } from './settings.js';

export const MISSING_CMD_MESSAGE =
  'PEERPIGEON_SERVER_CMD is not set. The conformance suite needs a shell command that starts the server under test, ' +
  "e.g. PEERPIGEON_SERVER_CMD='dotnet /work/main/src/PeerPigeon.Gateway/bin/Debug/net10.0/PeerPigeon.Gateway.dll' " +
  "or PEERPIGEON_SERVER_CMD='node tests/node/node_modules/peerpigeon/server/start.js'. The suite runs it with sh -c and " +
  'sets HOST=127.0.0.1, PORT=<free port> and the configuration variables of PROTOCOL.md §6 itself; extra variables ' +
  'for every server go in PEERPIGEON_SERVER_ENV as a JSON object. With PEERPIGEON_SPREAD=2 the command must start a ' +
  'fleet with two gateways, on PORT and SECOND_PORT (e.g. deploy/local/cluster.sh run).';

// PROTOCOL.md §6 settings. They are removed from the inherited environment so that a variable set in the
// shell that runs the suite (say AUTH_TOKEN) cannot silently change a configuration.
const PROTOCOL_VARS = [
  'HOST', 'PORT', 'MAX_CONNECTIONS', 'MAX_MESSAGE_SIZE', 'PEER_TIMEOUT_MS', 'CLEANUP_INTERVAL_MS',
  'KEEPALIVE_INTERVAL_MS', 'CORS_ORIGIN', 'AUTH_TOKEN', 'IS_HUB', 'HUB_MESH_NAMESPACE', 'BOOTSTRAP_HUBS', 'HUB_TOKEN',
  'DUPLICATE_PEER_POLICY', 'MESSAGE_TTL_MS', 'MAX_DISCOVERY_PEERS',
];
// Also set by the suite itself (spread mode: the second gateway's port), so never inherited either.
const SCRUBBED_VARS = [...PROTOCOL_VARS, 'SECOND_PORT'];

const LOG_DIR = process.env.PEERPIGEON_SERVER_LOG_DIR || path.join(os.tmpdir(), 'peerpigeon-conformance-logs');

const configs = new Map();
const running = new Set(); // ServerInstance
let live = null; // the ServerConfig whose server is up (at most one at a time: see ServerConfig.server)

function extraEnv() {
  const raw = process.env.PEERPIGEON_SERVER_ENV;
  if (!raw) return {};
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new Error(`PEERPIGEON_SERVER_ENV must be a JSON object of strings, e.g. '{"PUSH_TRANSPORT":"stream"}': ${e.message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`PEERPIGEON_SERVER_ENV must be a JSON object, got ${raw}`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** `count` distinct free ports on 127.0.0.1. */
async function freePorts(count) {
  const ports = [];
  while (ports.length < count) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  return ports;
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already gone
  }
}

// Last resort: never leave a spawned server behind, even when the test process dies.
process.on('exit', () => {
  for (const inst of running) killGroup(inst.pgid, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    for (const inst of running) killGroup(inst.pgid, 'SIGKILL');
    process.exit(128 + (os.constants.signals[sig] || 0));
  });
}

class ServerInstance {
  /** `ports`: one port per gateway (PORT, then SECOND_PORT in spread mode). */
  constructor(config, ports, env) {
    this.config = config;
    this.ports = ports;
    this.port = ports[0];
    this.host = '127.0.0.1';
    this.env = env;
    this.tail = [];
    this.spawnedAt = Date.now();
    this.healthyAt = null;
    this.exitInfo = null;
    fs.mkdirSync(LOG_DIR, { recursive: true });
    this.logFile = path.join(LOG_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-${config.name}-${ports.join('-')}.log`);
    this.log = fs.createWriteStream(this.logFile);
    const cmd = process.env.PEERPIGEON_SERVER_CMD;
    this.log.write(`# sh -c ${cmd}\n# env: ${JSON.stringify({ ...extraEnv(), ...config.env })} HOST=127.0.0.1 ${this.portVars()}\n`);
    // detached: the child leads a new process group, so stop() reaches everything `sh -c` started.
    this.child = spawn('sh', ['-c', cmd], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.pgid = this.child.pid;
    running.add(this);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal, at: Date.now() };
        resolve(this.exitInfo);
      });
      this.child.on('error', (e) => {
        this.exitInfo = { error: e.message, at: Date.now() };
        resolve(this.exitInfo);
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream.on('data', (chunk) => {
        this.log.write(chunk);
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line.trim() === '') continue;
          this.tail.push(line);
          if (this.tail.length > 60) this.tail.shift();
        }
      });
    }
  }

  get wsBase() {
    return this.wsBaseOf(0);
  }

  /** ws://127.0.0.1:<port of gateway `index`> (0: PORT, 1: SECOND_PORT). */
  wsBaseOf(index) {
    return `ws://127.0.0.1:${this.ports[index]}`;
  }

  portVars() {
    return this.ports.length === 1 ? `PORT=${this.ports[0]}` : `PORT=${this.ports[0]} SECOND_PORT=${this.ports[1]}`;
  }

  describe() {
    const where = this.ports.length === 1 ? `port ${this.port}` : `gateway ports ${this.ports.join(' and ')}`;
    return `server '${this.config.name}' (pid ${this.pgid}, ${where}, log ${this.logFile})`;
  }

  outputTail(lines = 25) {
    return this.tail.slice(-lines).map((l) => `    | ${l}`).join('\n');
  }

  /** Ready when GET /health answers 200 on every gateway port (both, in spread mode). */
  async waitHealthy() {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const pending = new Set(this.ports);
    const last = new Map(this.ports.map((p) => [p, 'no answer yet']));
    while (Date.now() < deadline) {
      if (this.exitInfo) {
        throw new Error(
          `${this.describe()} exited before answering GET /health${this.ports.length > 1 ? ` on every gateway (still waiting for port(s) ${[...pending].join(', ')})` : ''}: ` +
            `${JSON.stringify(this.exitInfo)}\n  last output:\n${this.outputTail()}`,
        );
      }
      for (const port of [...pending]) {
        try {
          const res = await httpRequest(port, { path: '/health', timeoutMs: 2000 });
          if (res.status === 200) pending.delete(port);
          else last.set(port, `HTTP ${res.status} ${res.body.slice(0, 200)}`);
        } catch (e) {
          last.set(port, e.message);
        }
      }
      if (pending.size === 0) {
        this.healthyAt = Date.now();
        return;
      }
      await delay(150); // polling interval of a bounded readiness probe, not a synchronisation sleep
    }
    const lastSeen = [...pending].map((p) => `port ${p}: ${last.get(p)}`).join('; ');
    throw new Error(
      `${this.describe()} did not answer GET /health with 200 within ${START_TIMEOUT_MS} ms on ${[...pending].join(' and ')} ` +
        `(last: ${lastSeen}).\n  last output:\n${this.outputTail()}`,
    );
  }

  /** Sends `signal` to the server's whole process group. */
  signal(signal) {
    killGroup(this.pgid, signal);
  }

  async stop() {
    if (groupAlive(this.pgid)) {
      this.signal('SIGTERM');
      const deadline = Date.now() + 10000;
      while (groupAlive(this.pgid) && Date.now() < deadline) await delay(50);
      if (groupAlive(this.pgid)) this.signal('SIGKILL');
    }
    await Promise.race([this.exited, delay(5000)]);
    running.delete(this);
    await new Promise((r) => this.log.end(r));
  }
}

export class ServerConfig {
  constructor(name, env) {
    this.name = name;
    this.env = env;
    this.instance = null; // Promise<ServerInstance>
    this.failure = null;
  }

  /**
   * The running server of this configuration, started on first use. Only one configuration runs at a
   * time (a server may use fixed internal ports, e.g. an embedded Orleans silo), so asking for another
   * configuration stops the previous one. Fails with a clear message when PEERPIGEON_SERVER_CMD is unset,
   * and with the same start-up error for every later test of a configuration that failed to start.
   */
  async server() {
    if (!process.env.PEERPIGEON_SERVER_CMD) throw new Error(MISSING_CMD_MESSAGE);
    if (this.failure) throw this.failure;
    if (live && live !== this) await live.stop();
    live = this;
    if (!this.instance) {
      this.instance = (async () => {
        const ports = await freePorts(SPREAD);
        const env = { ...process.env };
        for (const v of SCRUBBED_VARS) delete env[v];
        Object.assign(env, extraEnv(), this.env, { HOST: '127.0.0.1', PORT: String(ports[0]) });
        if (SPREAD === 2) env.SECOND_PORT = String(ports[1]);
        return this.launch(ports, env);
      })();
    }
    return this.instance;
  }

  /** Stops the server gracefully (SIGTERM) and starts it again, healthy, on the same port(s) with the same env. */
  async restart() {
    const old = await this.server();
    await old.stop();
    return (this.instance = this.launch(old.ports, old.env));
  }

  launch(ports, env) {
    const inst = new ServerInstance(this, ports, env);
    return inst.waitHealthy().then(() => inst, async (e) => {
      await inst.stop();
      this.failure = new Error(`could not start ${this.name} server (${JSON.stringify(this.env)}): ${e.message}`);
      this.instance = null;
      throw this.failure;
    });
  }

  /** Stops this configuration's server if it is running; the next server() call starts a fresh one. */
  async stop() {
    const pending = this.instance;
    this.instance = null;
    if (live === this) live = null;
    if (!pending) return;
    const inst = await pending.catch(() => null);
    if (inst) await inst.stop();
  }
}

/**
 * The configuration called `name` with these PROTOCOL.md §6 variables (HOST/PORT, and SECOND_PORT in spread mode, are
 * always set by the suite).
 */
export function serverConfig(name, env = {}) {
  const existing = configs.get(name);
  if (existing) {
    if (JSON.stringify(existing.env) !== JSON.stringify(env)) {
      throw new Error(`server configuration '${name}' declared twice with different settings`);
    }
    return existing;
  }
  const cfg = new ServerConfig(name, env);
  configs.set(name, cfg);
  return cfg;
}

/** Stops every server this process started. */
export async function stopAllServers() {
  for (const cfg of configs.values()) await cfg.stop();
  for (const inst of [...running]) await inst.stop();
}

/** Configurations shared by several suites. */
export const DEFAULT = serverConfig('default', {});
