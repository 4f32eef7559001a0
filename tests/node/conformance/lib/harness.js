// Per-test helpers: start (or reuse) the configuration's server, open clients, close them all afterwards.
// Spread mode (PEERPIGEON_SPREAD=2): the server is a fleet with two gateways, and the sockets a test opens alternate
// between them (1st → gateway 0 on PORT, 2nd → gateway 1 on SECOND_PORT, 3rd → gateway 0, …) unless a test pins one
// with `gateway: 0|1`. HTTP helpers ask gateway 0 unless told otherwise. With one gateway every socket goes to it and
// `gateway: 1` means that one gateway too.
import assert from 'node:assert/strict';
import { HttpRejection, openSocket } from './client.js';
import { getJson, httpRequest } from './http.js';
import { peerId as newPeerId } from './ids.js';
import { isConnected } from './match.js';
import { SPREAD, TIMEOUT_MS } from './settings.js';
import { assertConnected } from './shapes.js';

/** The announce the official client sends (reference §4.1): {type, data:{peerId,...}, maxPeers:3, networkName}. */
export function announceMsg(peerId, network, extraData = {}) {
  return { type: 'announce', data: { peerId, ...extraData }, maxPeers: 3, networkName: network };
}

/** The envelope the official client uses for targeted signaling: {type, data, maxPeers, networkName, targetPeerId}. */
export function signalMsg(type, targetPeerId, data, network = 'global') {
  return { type, data, maxPeers: 3, networkName: network, targetPeerId };
}

/** Same envelope, as text, with `rawData` spliced in verbatim (for byte-for-byte relay checks). */
export function signalText(type, targetPeerId, rawData, network = 'global') {
  return `{"type":${JSON.stringify(type)},"data":${rawData},"maxPeers":3,"networkName":${JSON.stringify(network)},"targetPeerId":${JSON.stringify(targetPeerId)}}`;
}

class Harness {
  constructor(srv) {
    this.srv = srv;
    this.port = srv.port; // gateway 0
    this.ports = srv.ports; // one port per gateway
    this.clients = [];
    this.n = 0;
    this.unpinned = 0; // sockets opened without a pinned gateway: they alternate
  }

  /** How many gateways the server under test has (PEERPIGEON_SPREAD). */
  get gatewayCount() {
    return this.ports.length;
  }

  /** The gateway indexes, [0] or [0, 1]: for checks that must hold on every gateway. */
  get gateways() {
    return this.ports.map((_, i) => i);
  }

  /**
   * The gateway for the next socket: `gateway` when pinned (0 or 1), else the next in the alternation. With one
   * gateway always 0, so a test written for two gateways runs unchanged against a single server.
   */
  pick(gateway) {
    if (gateway === undefined) return this.unpinned++ % this.gatewayCount;
    if (gateway !== 0 && gateway !== 1) throw new Error(`gateway must be 0 or 1, got ${JSON.stringify(gateway)}`);
    return Math.min(gateway, this.gatewayCount - 1);
  }

  /** The gateway a client is not on (itself with one gateway): where a duplicate or a reconnect should go. */
  otherGateway(client) {
    return (client.gateway + 1) % this.gatewayCount;
  }

  /** How failure messages name gateway `index` (only in spread mode: a single server needs no name). */
  where(index) {
    return this.gatewayCount > 1 ? `gateway ${index}, port ${this.ports[index]}` : undefined;
  }

  url(pathAndQuery, gateway = 0) {
    return `${this.srv.wsBaseOf(gateway)}${pathAndQuery}`;
  }

  /** "name→gateway:port" for every socket of the test (a diagnostic line in spread mode). */
  placement() {
    return this.clients.map((c) => `${c.name}→gw${c.gateway}:${this.ports[c.gateway]}`).join(', ');
  }

  /**
   * Opens a socket for `id` (a fresh random id by default) and waits for `connected`, which must be the
   * first frame (§1 "On accept the server sends first").
   */
  async connect({ id = newPeerId(), name, path = '/', query = '', headers, origin, autoPong = true, checkShape = true, gateway } = {}) {
    const label = name ?? `peer${++this.n}`;
    const client = await this.open(`${path}?peerId=${id}${query}`, { name: label, peerId: id, headers, origin, autoPong, gateway });
    const first = await client.expectRecord(() => true, `a first frame ("connected") for ${label}`);
    if (checkShape) {
      assert.equal(
        first.json?.type,
        'connected',
        `${client.who}: the first frame must be "connected" (§1), got ${first.raw}`,
      );
      assertConnected(first.json, id);
    }
    client.connectedFrame = first.json;
    return client;
  }

  /**
   * Opens a socket to pathAndQuery and resolves after the upgrade, without waiting for any frame. `gateway` pins the
   * gateway (0 or 1); by default sockets alternate between the gateways (spread mode).
   */
  async open(pathAndQuery, { name, peerId, headers, origin, autoPong = true, gateway } = {}) {
    const g = this.pick(gateway);
    const client = await openSocket(this.url(pathAndQuery, g), {
      name: name ?? `socket${++this.n}`,
      peerId,
      headers,
      origin,
      autoPong,
      gateway: g,
      where: this.where(g),
    });
    this.clients.push(client);
    return client;
  }

  /**
   * Expects the upgrade request to be answered with a plain HTTP status (no upgrade); returns the HttpRejection, with
   * `where` naming the gateway in spread mode.
   */
  async expectUpgradeRefused(pathAndQuery, { headers, origin, name = 'refused', gateway } = {}) {
    const g = this.pick(gateway);
    let client;
    try {
      client = await openSocket(this.url(pathAndQuery, g), { name, headers, origin, gateway: g, where: this.where(g) });
    } catch (e) {
      if (e instanceof HttpRejection) {
        e.where = this.where(g);
        return e;
      }
      throw e;
    }
    this.clients.push(client);
    const got = await client
      .expectRecord(isConnected, 'connected', 1000)
      .then((r) => `the upgrade succeeded and the server sent ${r.raw}`)
      .catch(() => `the upgrade succeeded (101)`);
    assert.fail(`expected the upgrade request ${pathAndQuery}${this.gatewayCount > 1 ? ` to ${this.where(g)}` : ''} to be refused with an HTTP error status before the upgrade, but ${got}.\n${client.dump()}`);
  }

  /**
   * Sends the official announce, then syncs (ping/pong) so the announce is known to be processed: a server orders
   * frames per socket only, so a later step on another socket could otherwise overtake it. Returns the client.
   */
  async announce(client, network, extraData = {}) {
    await client.send(announceMsg(client.peerId, network, extraData));
    await client.sync();
    return client;
  }

  /**
   * Connects `count` peers, announces each in `network` (one at a time, each synced), returns them. They alternate
   * between the gateways unless `gateway` pins them all.
   */
  async joinMany(count, network, { prefix = 'm', gateway } = {}) {
    const out = [];
    for (let i = 0; i < count; i++) {
      const c = await this.connect({ name: `${prefix}${i}`, gateway });
      await this.announce(c, network);
      await c.sync();
      out.push(c);
    }
    return out;
  }

  /** One HTTP request to gateway `gateway` (default 0). */
  http(path, { gateway = 0, ...opts } = {}) {
    return httpRequest(this.ports[this.pickHttp(gateway)], { path, ...opts });
  }

  /** GET `path` on gateway `gateway` (default 0): must be 200 with a JSON object. */
  async getJson(path, headers, { gateway = 0 } = {}) {
    const g = this.pickHttp(gateway);
    try {
      return await getJson(this.ports[g], path, headers);
    } catch (e) {
      if (this.gatewayCount > 1) e.message = `${e.message} [${this.where(g)}]`;
      throw e;
    }
  }

  pickHttp(gateway) {
    if (gateway !== 0 && gateway !== 1) throw new Error(`gateway must be 0 or 1, got ${JSON.stringify(gateway)}`);
    return Math.min(gateway, this.gatewayCount - 1);
  }

  /** Polls `probe()` (async) until it returns a truthy value, bounded; `what` describes the expectation. */
  async until(probe, what, timeoutMs = TIMEOUT_MS) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      last = await probe();
      if (last && last.ok !== false) return last;
      await new Promise((r) => setTimeout(r, 100)); // polling interval of a bounded probe
    }
    assert.fail(`${what}: not satisfied within ${timeoutMs} ms; last observation: ${JSON.stringify(last?.seen ?? last)}`);
  }

  async closeAll() {
    await Promise.all(this.clients.map((c) => c.close().catch(() => c.ws.terminate())));
  }
}

/**
 * Test setup: the configuration's server (started lazily, shared with the other tests of the configuration)
 * and a harness whose clients are closed when the test ends.
 */
export async function setup(t, config) {
  const srv = await config.server();
  const h = new Harness(srv);
  t.after(async () => {
    if (SPREAD > 1 && h.clients.length > 0) t.diagnostic(`sockets: ${h.placement()}`);
    await h.closeAll();
  });
  return h;
}
