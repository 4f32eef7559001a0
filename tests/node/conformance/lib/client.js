// A WebSocket test client with an inbox and bounded expectations.
import WebSocket from 'ws';
import { TIMEOUT_MS, WINDOW_MS } from './settings.js';

let pingSeq = 0;

function safeMatch(pred, frame) {
  if (frame.json === undefined) return false;
  try {
    return Boolean(pred(frame.json, frame));
  } catch {
    return false;
  }
}

function clip(s, n = 600) {
  return s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s;
}

/** Thrown by openSocket when the server answered the upgrade request with a non-101 HTTP response. */
export class HttpRejection extends Error {
  constructor(status, headers, body, url) {
    super(`upgrade to ${url} answered HTTP ${status} instead of 101: ${clip(body, 300)}`);
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

export class TestClient {
  /**
   * @param {WebSocket} ws
   * @param {{name: string, peerId?: string, url: string, gateway?: number, where?: string}} info
   *   gateway: index of the gateway the socket went to (0: PORT, 1: SECOND_PORT); where: how failure messages name
   *   it (spread mode only, e.g. "gateway 1, port 40123").
   */
  constructor(ws, { name, peerId, url, gateway = 0, where }) {
    this.ws = ws;
    this.name = name;
    this.peerId = peerId;
    this.url = url;
    this.gateway = gateway;
    this.where = where;
    this.createdAt = Date.now();
    this.openedAt = null;
    this.frames = [];
    this.pings = []; // times of WebSocket ping control frames received from the server
    this.closeInfo = null;
    this.lastSentAt = null;
    this.errors = [];
    this.listeners = new Set();
    this.seq = 0;
    ws.on('open', () => {
      this.openedAt = Date.now();
      this.notify();
    });
    ws.on('message', (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      const raw = buf.toString('utf8');
      let json;
      let parseError;
      try {
        json = JSON.parse(raw);
      } catch (e) {
        parseError = e.message;
      }
      this.frames.push({ seq: ++this.seq, raw, isBinary, json, parseError, at: Date.now(), consumed: false });
      this.notify();
    });
    ws.on('ping', () => {
      this.pings.push(Date.now());
      this.notify();
    });
    ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString('utf8'), at: Date.now() };
      this.notify();
    });
    ws.on('error', (e) => {
      this.errors.push(e.message);
      this.notify();
    });
  }

  /** The name, plus the gateway (and port) the socket is on in spread mode, for failure messages. */
  get who() {
    return this.where ? `${this.name} [${this.where}]` : this.name;
  }

  notify() {
    for (const l of [...this.listeners]) l();
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  // ---- sending -------------------------------------------------------------------------------

  /** Sends `obj` as a JSON text frame. */
  send(obj) {
    return this.sendText(JSON.stringify(obj));
  }

  /** Sends `text` verbatim as a text frame. */
  sendText(text) {
    return this.#send(text, false);
  }

  /** Sends `payload` (string or Buffer) as a binary frame. */
  sendBinary(payload) {
    return this.#send(Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8'), true);
  }

  #send(payload, binary) {
    if (!this.isOpen) {
      throw new Error(`${this.who}: cannot send, socket is not open (close: ${JSON.stringify(this.closeInfo)})`);
    }
    this.lastSentAt = Date.now();
    return new Promise((resolve, reject) => {
      this.ws.send(payload, { binary }, (err) => (err ? reject(err) : resolve()));
    });
  }

  // ---- waiting -------------------------------------------------------------------------------

  /**
   * Resolves with the first truthy value of `check()`, re-evaluated on every event of this socket.
   * Rejects with `failure()` after `timeoutMs`, or when `check` throws.
   */
  waitFor(check, timeoutMs, failure) {
    return new Promise((resolve, reject) => {
      let timer;
      const done = (fn, v) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        fn(v);
      };
      const listener = () => {
        let v;
        try {
          v = check();
        } catch (e) {
          done(reject, e);
          return;
        }
        if (v) done(resolve, v);
      };
      timer = setTimeout(() => done(reject, new Error(failure())), timeoutMs);
      this.listeners.add(listener);
      listener();
    });
  }

  /** The first not yet consumed frame matching pred, past or future; marks it consumed and returns it. */
  async expectRecord(pred, description, timeoutMs = TIMEOUT_MS) {
    const started = Date.now();
    const rec = await this.waitFor(
      () => {
        const f = this.frames.find((fr) => !fr.consumed && safeMatch(pred, fr));
        if (f) return f;
        if (this.closeInfo) {
          throw new Error(
            `${this.who}: expected ${description}, but the socket closed (code ${this.closeInfo.code}, ` +
              `reason '${this.closeInfo.reason}') after ${Date.now() - started} ms without it.\n${this.dump()}`,
          );
        }
        return undefined;
      },
      timeoutMs,
      () => `${this.who}: expected ${description} within ${timeoutMs} ms; it did not arrive.\n${this.dump()}`,
    );
    rec.consumed = true;
    return rec;
  }

  /** Like expectRecord, returns the parsed JSON. */
  async expect(pred, description, timeoutMs = TIMEOUT_MS) {
    return (await this.expectRecord(pred, description, timeoutMs)).json;
  }

  /**
   * Fails if an unconsumed frame matching pred is in the inbox or arrives within windowMs. Call it after a
   * positive sync point (e.g. sync()), so that the window only has to cover cross-socket delivery.
   */
  async expectNoFrame(pred, description, windowMs = WINDOW_MS) {
    let found;
    try {
      found = await this.waitFor(
        () => this.frames.find((fr) => !fr.consumed && safeMatch(pred, fr)),
        windowMs,
        () => 'window elapsed',
      );
    } catch {
      return;
    }
    throw new Error(
      `${this.who}: expected no ${description}, but got frame #${found.seq}: ${clip(found.raw)}\n${this.dump()}`,
    );
  }

  /** Every frame (consumed or not) matching pred, in arrival order. */
  framesWhere(pred) {
    return this.frames.filter((fr) => safeMatch(pred, fr));
  }

  /**
   * Sync point: sends a JSON ping and waits for its pong. Frames the server produced on this socket
   * before handling the ping arrive before the pong.
   */
  async sync(description = 'pong (sync point)') {
    await this.send({ type: 'ping', data: { timestamp: Date.now(), conformanceSync: ++pingSeq } });
    return this.expect((m) => m.type === 'pong', description);
  }

  /** Waits for the close frame / socket end; returns {code, reason}. */
  async expectClose(description = 'the socket to close', timeoutMs = TIMEOUT_MS) {
    await this.waitFor(
      () => this.closeInfo,
      timeoutMs,
      () => `${this.who}: expected ${description} within ${timeoutMs} ms, it is still open.\n${this.dump()}`,
    );
    return this.closeInfo;
  }

  /** Fails if the socket closes within windowMs (a timed negative: use only where time is the subject). */
  async expectStaysOpen(windowMs, description = 'the socket to stay open') {
    let closed;
    try {
      closed = await this.waitFor(() => this.closeInfo, windowMs, () => 'still open');
    } catch {
      return;
    }
    throw new Error(`${this.who}: expected ${description} for ${windowMs} ms, but it closed: ${JSON.stringify(closed)}\n${this.dump()}`);
  }

  /** Waits until at least `count` WebSocket ping control frames have arrived from the server. */
  async expectPings(count, timeoutMs = TIMEOUT_MS) {
    await this.waitFor(
      () => this.pings.length >= count,
      timeoutMs,
      () =>
        `${this.who}: expected at least ${count} WebSocket ping frame(s) from the server within ${timeoutMs} ms, ` +
        `got ${this.pings.length}.\n${this.dump()}`,
    );
  }

  // ---- closing ---------------------------------------------------------------------------------

  /** Clean close (close frame) and wait for it to complete, bounded. */
  async close(code = 1000, reason = '') {
    if (this.closeInfo) return this.closeInfo;
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
    try {
      return await this.expectClose('the close handshake to complete', 3000);
    } catch {
      this.ws.terminate();
      return this.expectClose('the socket to end after terminate()', 3000);
    }
  }

  /** Abrupt close: destroys the TCP socket without a close frame. */
  async terminate() {
    if (this.closeInfo) return this.closeInfo;
    this.ws.terminate();
    return this.expectClose('the socket to end after terminate()', 3000);
  }

  /** Human-readable inbox for failure messages. */
  dump(maxFrames = 40) {
    const t0 = this.createdAt;
    const lines = [`  inbox of ${this.who} (${this.peerId ?? 'no id'}), ${this.frames.length} frame(s):`];
    const shown = this.frames.slice(-maxFrames);
    if (shown.length < this.frames.length) lines.push(`    … ${this.frames.length - shown.length} earlier frame(s) not shown`);
    for (const f of shown) {
      lines.push(
        `    #${f.seq} +${f.at - t0}ms ${f.consumed ? '(seen)' : '(new) '} ${f.isBinary ? '[binary] ' : ''}` +
          `${f.parseError ? `[not JSON: ${f.parseError}] ` : ''}${clip(f.raw)}`,
      );
    }
    lines.push(`    ws pings received: ${this.pings.length}; close: ${this.closeInfo ? JSON.stringify(this.closeInfo) : 'open'}`);
    if (this.errors.length) lines.push(`    socket errors: ${this.errors.join('; ')}`);
    return lines.join('\n');
  }
}

/**
 * Opens a WebSocket to `url` and resolves once the upgrade completed ('open'); rejects with HttpRejection
 * when the server answers the upgrade with a plain HTTP response, or with the socket error.
 */
export function openSocket(url, { name = 'client', peerId, headers, origin, autoPong = true, timeoutMs = TIMEOUT_MS, gateway, where } = {}) {
  const ws = new WebSocket(url, {
    headers,
    origin,
    autoPong,
    perMessageDeflate: false,
    handshakeTimeout: timeoutMs,
    maxPayload: 64 * 1024 * 1024,
  });
  const client = new TestClient(ws, { name, peerId, url, gateway, where });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (req, res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        reject(new HttpRejection(res.statusCode, res.headers, Buffer.concat(chunks).toString('utf8'), url));
      });
      res.on('error', () => reject(new HttpRejection(res.statusCode, res.headers, '', url)));
    });
    ws.once('error', (e) => reject(new Error(`${client.who}: WebSocket to ${url} failed before open: ${e.message}`)));
  });
}
