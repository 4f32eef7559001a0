// Node side of the browser end-to-end tests (tests/node/browser/*.test.mjs): the official peerpigeon@1.1.3 browser
// build (node_modules/peerpigeon/dist/peerpigeon-browser.js) in headless Chromium, talking to the signaling server
// under test. One Chromium per test file, one browser context (a fresh in-memory profile: own storage, own
// permissions) per test page, the page server (page-server.mjs, page/), and bounded waits over what the pages
// report. Every page pushes each event it records (page/recorder.js) through the `__ppReport` binding into a
// PageRecorder (page-recorder.mjs), so a wait is woken by the event itself, not by polling.
//
//   PEERPIGEON_URL=ws://127.0.0.1:3000 node --test tests/node/browser/
//
// Environment: PEERPIGEON_URL (required; missing = failure, never a skip), PEERPIGEON_AUTH_TOKEN (sent as ?token=),
// PEERPIGEON_URL_2 (a second gateway of the same fleet: the mesh, network and reload scenarios then spread their
// pages over both, and gateways.test.mjs puts its two pages on different gateways), PEERPIGEON_REQUIRE_TWO_GATEWAYS=1
// (the fleet run: a missing or identical PEERPIGEON_URL_2 fails every test), PEERPIGEON_OUTPUT_DIR (screenshots go to
// its browser/ folder; default tests/output), PEERPIGEON_CHROMIUM (default /usr/bin/chromium).

import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_WAIT_MS, randomHex, withTimeout } from '../lib/official-client.mjs';
import { launchChromium, outputDir } from '../lib/chromium.mjs';
import { startPageServer } from './page-server.mjs';
import { PageRecorder, short } from './page-recorder.mjs';

export const WAIT_MS = DEFAULT_WAIT_MS;

/**
 * What WebRTC needs on top of BASE_ARGS (lib/chromium.mjs) when the pages must reach each other on this machine only.
 * Measured with Chromium 156, in this box and in a network namespace that has nothing but `lo` (unshare -n):
 *   --use-fake-ui-for-media-stream  accepts the microphone prompt that the library raises itself on a 127.0.0.1 page
 *       (PeerPigeonMesh.init asks for audio on localhost). A page with media permission gets ICE candidates for every
 *       local address, as raw IPs. Without it Chromium offers only the default-route interface, hidden behind an
 *       mDNS name: that needs multicast name resolution on the LAN, and with `lo` only there is no candidate at all.
 *   --use-fake-device-for-media-stream  answers that request with a fake microphone, so no real device is opened
 *       on a developer's machine and the library's request succeeds as it does for a user who clicked "allow".
 *   --allow-loopback-in-peer-connection  lets ICE use 127.0.0.1; needed where `lo` is the only interface.
 * Not needed: background-throttling switches (playwright-core already passes --disable-background-timer-throttling,
 * --disable-backgrounding-occluded-windows and --disable-renderer-backgrounding), and
 * --disable-features=WebRtcHideLocalIpsWithMdns (the permission already turns mDNS names off; a second
 * --disable-features would also replace the list playwright-core passes).
 */
export const WEBRTC_ARGS = Object.freeze([
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection'
]);

export { randomHex, gateways, hostOf } from '../lib/official-client.mjs';

/** A random 40-hex peer id (what the client itself generates), fixed per page so that a reload keeps it. */
export const newPeerId = () => randomHex(20);

/** A unique network name per test, so parallel runs on one server never meet. */
export const newNetwork = (label) => `browser-${label}-${randomHex(5)}`;

/**
 * One test file's browser session: the page server, one Chromium, and the pages opened so far.
 * `close()` closes every context, the browser and the page server, whatever happened.
 */
export class BrowserSuite {
  static async start() {
    const suite = new BrowserSuite();
    suite.t0 = Date.now(); // every page's event times count from here, so timelines of pages line up
    suite.pageServer = await startPageServer();
    try {
      suite.browser = await launchChromium({ extraArgs: WEBRTC_ARGS });
    } catch (err) {
      await suite.pageServer.close();
      throw err;
    }
    return suite;
  }

  pages = [];

  /** Every page's summary, for failure messages. */
  summaries(pages = this.pages) {
    return pages.map((p) => p.recorder.summary()).join('\n');
  }

  /**
   * Opens a page in a context of its own and resolves once its client has connected to the signaling server
   * (the page's `meshConnected`), or fails with what the page reported.
   */
  async open({ name, peerId = newPeerId(), network, server, maxPeers, minPeers }) {
    const context = await this.browser.newContext({ viewport: { width: 820, height: 440 } });
    context.setDefaultTimeout(WAIT_MS);
    const recorder = new PageRecorder(name);
    recorder.t0 = this.t0;
    const page = new TestPage(this, name, peerId, context, recorder);
    this.pages.push(page);
    await context.exposeBinding('__ppReport', (_source, event) => {
      recorder.record(event.type, { ...event.data, instance: event.instance, pageAt: event.at });
    });
    const p = await context.newPage();
    page.page = p;
    p.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') {
        recorder.record('console', { level: msg.type(), text: msg.text(), url: msg.location()?.url });
      }
    });
    p.on('pageerror', (err) => recorder.record('pageerror', { message: err.message }));
    const query = new URLSearchParams({ name, peerId, network, server });
    if (maxPeers !== undefined) query.set('maxPeers', String(maxPeers));
    if (minPeers !== undefined) query.set('minPeers', String(minPeers));
    page.url = `${this.pageServer.origin}/?${query}`;
    await p.goto(page.url, { waitUntil: 'load' });
    await page.waitUntilConnected();
    return page;
  }

  /** Waits (bounded) until `predicate(recorder)` of `page` is truthy; the failure shows every page's summary. */
  waitFor(page, predicate, expected, timeoutMs = WAIT_MS) {
    return page.recorder.waitFor(predicate, { expected: `${page.name}: ${expected}`, timeoutMs, context: this.pages.map((p) => p.recorder) });
  }

  /** Full-page screenshot to ${PEERPIGEON_OUTPUT_DIR:-tests/output}/browser/<file>; returns the path. */
  async screenshot(page, file) {
    const dir = path.join(outputDir(), 'browser');
    fs.mkdirSync(dir, { recursive: true });
    const target = path.join(dir, file);
    await page.page.screenshot({ path: target, fullPage: true, timeout: WAIT_MS });
    return target;
  }

  /**
   * One image of several pages side by side (each page's own full-page screenshot, three to a row), to
   * ${PEERPIGEON_OUTPUT_DIR:-tests/output}/browser/<file>; returns the path.
   */
  async screenshotAll(pages, file) {
    const shots = [];
    for (const page of pages) {
      const png = await page.page.screenshot({ fullPage: true, timeout: WAIT_MS });
      shots.push({ name: page.name, src: `data:image/png;base64,${png.toString('base64')}` });
    }
    const columns = Math.min(3, shots.length);
    const context = await this.browser.newContext({ viewport: { width: 620 * columns, height: 400 } });
    try {
      const sheet = await context.newPage();
      await sheet.setContent(`<body style="margin:0;display:grid;grid-template-columns:repeat(${columns},600px);gap:20px;padding:10px">` +
        shots.map((s) => `<figure style="margin:0;border:1px solid #999"><img style="width:600px;display:block" src="${s.src}">` +
          `<figcaption style="font:bold 14px sans-serif;padding:4px">${s.name}</figcaption></figure>`).join('') + '</body>',
      { waitUntil: 'load' });
      const dir = path.join(outputDir(), 'browser');
      fs.mkdirSync(dir, { recursive: true });
      const target = path.join(dir, file);
      await sheet.screenshot({ path: target, fullPage: true, timeout: WAIT_MS });
      return target;
    } finally {
      await context.close();
    }
  }

  async close() {
    for (const page of this.pages) await page.context.close().catch(() => {});
    await this.browser?.close().catch(() => {});
    await this.pageServer?.close();
  }
}

/** One test page (one PeerPigeonMesh in its own browser context). */
export class TestPage {
  constructor(suite, name, peerId, context, recorder) {
    Object.assign(this, { suite, name, peerId, context, recorder });
  }

  /** Resolves when the current page instance's client has opened its signaling socket and announced. */
  async waitUntilConnected(timeoutMs = WAIT_MS) {
    const outcome = await this.suite.waitFor(this,
      (r) => r.current('meshConnected').length > 0 || r.current('meshError')[0],
      'the page to load the bundle, init the mesh and connect to the signaling server (meshConnected)', timeoutMs);
    if (outcome?.message) {
      throw new Error(`${this.name}: the page's client failed: ${outcome.message}\n${this.suite.summaries()}`);
    }
  }

  /** Reloads the page (same URL, so the same peer id) and resolves once the new instance's client is connected. */
  async reload() {
    const before = this.recorder.instance();
    await this.page.reload({ waitUntil: 'load', timeout: WAIT_MS });
    await this.suite.waitFor(this, (r) => r.instance() !== before, 'the reloaded page to start (a new page instance)');
    await this.waitUntilConnected();
  }

  snapshot() {
    return withTimeout(this.page.evaluate(() => window.__pp.snapshot()), WAIT_MS, `${this.name}: reading the page state`,
      () => this.suite.summaries());
  }

  /** A direct (data channel) message; resolves with the library's message id. */
  sendDirect(target, content) {
    return withTimeout(this.page.evaluate(([to, c]) => window.__ppSendDirect(to, c), [target.peerId, content]),
      WAIT_MS, `${this.name}: sendDirectMessage to ${target.name}`, () => this.suite.summaries());
  }

  /** A broadcast (gossip) message; resolves with the library's message id. */
  broadcast(content) {
    return withTimeout(this.page.evaluate((c) => window.__ppBroadcast(c), content),
      WAIT_MS, `${this.name}: sendMessage (broadcast)`, () => this.suite.summaries());
  }

  /**
   * A round trip to the signaling server on this page's socket: sends `ping` through the client and waits for the
   * `pong`. Frames for this socket that the server produced before it answered have arrived by then.
   */
  async syncWithServer() {
    const pongs = () => this.recorder.current('frameIn').filter((f) => f.frame?.type === 'pong').length;
    const before = pongs();
    await withTimeout(this.page.evaluate(() => window.__ppPing()), WAIT_MS, `${this.name}: sending ping`, () => this.suite.summaries());
    await this.suite.waitFor(this, () => pongs() > before, 'a pong for its ping (a round trip to the signaling server)');
  }

  /** Waits until this page reports `other` as connected (data channel open). */
  waitConnectedTo(other, timeoutMs = WAIT_MS) {
    return this.suite.waitFor(this, (r) => r.connected().includes(other.peerId),
      `to report ${other.name} (${short(other.peerId)}) as connected (peerConnected: data channel open)`, timeoutMs);
  }

  /** Waits until this page has received `content` from `from`; resolves with the message. */
  waitMessage(from, content, timeoutMs = WAIT_MS) {
    return this.suite.waitFor(this,
      (r) => r.of('messageReceived').find((m) => m.from === from.peerId && m.content === content),
      `to receive ${JSON.stringify(content)} from ${from.name} (${short(from.peerId)})`, timeoutMs);
  }
}
