// What one test page did, as the test saw it: every event the page reported (page/recorder.js), across reloads,
// with the page's current view derived from them and a one-paragraph summary for failure messages.

import { EventRecorder } from '../lib/official-client.mjs';

export const short = (id) => (typeof id === 'string' ? id.slice(0, 8) : String(id));

/** The events of one page (across its reloads), with the page's current view derived from them. */
export class PageRecorder extends EventRecorder {
  /** The id of the page instance loaded last (every load, a reload too, starts a new one). */
  instance() {
    return this.events.findLast((e) => e.type === 'pageLoaded')?.data?.instance;
  }

  /** The data of the `type` events of the current page instance. */
  current(type) {
    const instance = this.instance();
    return this.events.filter((e) => e.type === type && e.data?.instance === instance).map((e) => e.data);
  }

  /** Peer ids the current page instance's client has connected (data channel open), as last reported. */
  connected() {
    return this.current('view').at(-1)?.connected ?? [];
  }

  /** Open RTCDataChannels of the current page instance, as last reported. */
  openChannels() {
    return this.current('view').at(-1)?.openChannels ?? 0;
  }

  framesIn() {
    return this.of('frameIn').map((d) => d.frame);
  }

  consoleErrors() {
    return this.of('console').filter((c) => c.level === 'error').concat(this.of('pageerror'));
  }

  summary() {
    const uniq = (xs) => [...new Set(xs)];
    const counts = new Map();
    for (const f of this.framesIn()) counts.set(f?.type, (counts.get(f?.type) ?? 0) + 1);
    const errorFrames = this.framesIn().filter((f) => f?.type === 'error').map((f) => f.error);
    const closes = this.of('wsClose').map((c) => `#${c.n}:${c.code}${c.reason ? ` ${c.reason}` : ''}`);
    const failures = this.of('meshError').map((e) => e.message);
    return [
      `${this.name} (${this.events.filter((e) => e.type === 'pageLoaded').length} load(s)): ` +
        `discovered=[${uniq(this.of('peerDiscovered').map((d) => short(d.peerId)))}] ` +
        `connected now=[${this.connected().map(short)}] openChannels=${this.openChannels()} ` +
        `disconnected=[${this.of('peerDisconnected').map((d) => `${short(d.peerId)}(${d.reason})`)}]`,
      `  frames from server=[${[...counts].map(([t, n]) => `${t}x${n}`).join(' ')}] socket closes=[${closes}]` +
        (errorFrames.length ? ` ERROR FRAMES=${JSON.stringify(errorFrames)}` : ''),
      `  messages=[${this.of('messageReceived').map((m) => `${short(m.from)}:${JSON.stringify(m.content)}`).join(', ')}]`,
      `  console errors=${JSON.stringify(this.consoleErrors().map((c) => c.text ?? c.message).slice(-10))} ` +
        `warnings=${JSON.stringify(this.of('console').filter((c) => c.level === 'warning').map((c) => c.text).slice(-5))}` +
        (failures.length ? ` page failures=${JSON.stringify(failures)}` : '')
    ].join('\n').replace(/([?&]token=)[^&\s'"]+/g, '$1hidden'); // no AUTH_TOKEN in test output
  }
}

