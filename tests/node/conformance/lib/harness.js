// Per-test helpers: start (or reuse) the configuration's server, open clients, close them all afterwards.
import assert from 'node:assert/strict';
import { HttpRejection, openSocket } from './client.js';
import { getJson, httpRequest } from './http.js';
import { peerId as newPeerId } from './ids.js';
import { isConnected } from './match.js';
import { TIMEOUT_MS } from './settings.js';
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
    this.port = srv.port;
    this.clients = [];
    this.n = 0;
  }

  url(pathAndQuery) {
    return `${this.srv.wsBase}${pathAndQuery}`;
  }

  /**
   * Opens a socket for `id` (a fresh random id by default) and waits for `connected`, which must be the
   * first frame (§1 "On accept the server sends first").
   */
  async connect({ id = newPeerId(), name, path = '/', query = '', headers, origin, autoPong = true, checkShape = true } = {}) {
    const label = name ?? `peer${++this.n}`;
    const client = await this.open(`${path}?peerId=${id}${query}`, { name: label, peerId: id, headers, origin, autoPong });
    const first = await client.expectRecord(() => true, `a first frame ("connected") for ${label}`);
    if (checkShape) {
      assert.equal(
        first.json?.type,
        'connected',
        `${label}: the first frame must be "connected" (§1), got ${first.raw}`,
      );
      assertConnected(first.json, id);
    }
    client.connectedFrame = first.json;
    return client;
  }

  /** Opens a socket to pathAndQuery and resolves after the upgrade, without waiting for any frame. */
  async open(pathAndQuery, { name, peerId, headers, origin, autoPong = true } = {}) {
    const client = await openSocket(this.url(pathAndQuery), {
      name: name ?? `socket${++this.n}`,
      peerId,
      headers,
      origin,
      autoPong,
    });
    this.clients.push(client);
    return client;
  }

  /** Expects the upgrade request to be answered with a plain HTTP status (no upgrade); returns the HttpRejection. */
  async expectUpgradeRefused(pathAndQuery, { headers, origin, name = 'refused' } = {}) {
    let client;
    try {
      client = await openSocket(this.url(pathAndQuery), { name, headers, origin });
    } catch (e) {
      if (e instanceof HttpRejection) return e;
      throw e;
    }
    this.clients.push(client);
    const got = await client
      .expectRecord(isConnected, 'connected', 1000)
      .then((r) => `the upgrade succeeded and the server sent ${r.raw}`)
      .catch(() => `the upgrade succeeded (101)`);
    assert.fail(`expected the upgrade request ${pathAndQuery} to be refused with an HTTP error status before the upgrade, but ${got}.\n${client.dump()}`);
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

  /** Connects `count` peers, announces each in `network` (one at a time, each synced), returns them. */
  async joinMany(count, network, { prefix = 'm' } = {}) {
    const out = [];
    for (let i = 0; i < count; i++) {
      const c = await this.connect({ name: `${prefix}${i}` });
      await this.announce(c, network);
      await c.sync();
      out.push(c);
    }
    return out;
  }

  http(path, opts = {}) {
    return httpRequest(this.port, { path, ...opts });
  }

  getJson(path, headers) {
    return getJson(this.port, path, headers);
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
  t.after(() => h.closeAll());
  return h;
}
