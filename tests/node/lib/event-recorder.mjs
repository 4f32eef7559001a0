// What one official mesh did (its events, the signaling it exchanged), with bounded waits over it: a wait fails after
// its bound with what was expected and a summary of what was observed.

export const DEFAULT_WAIT_MS = 30_000;

/** Records events of one mesh and lets a test wait, with a bound, for a condition over them. */
export class EventRecorder {
  constructor(name) {
    this.name = name;
    this.t0 = Date.now();
    this.events = [];
    this.waiters = new Set();
  }

  record(type, data) {
    this.events.push({ at: Date.now() - this.t0, type, data });
    for (const w of [...this.waiters]) w.check();
  }

  of(type) {
    return this.events.filter((e) => e.type === type).map((e) => e.data);
  }

  /** A compact, human-readable account of what this mesh has seen so far. */
  summary() {
    const short = (id) => (typeof id === 'string' ? id.slice(0, 8) : String(id));
    const uniq = (xs) => [...new Set(xs)];
    const discovered = uniq(this.of('peerDiscovered').map((d) => short(d?.peerId)));
    const connected = uniq(this.of('peerConnected').map((d) => short(d?.peerId)));
    const disconnected = this.of('peerDisconnected').map((d) => `${short(d?.peerId)}(${d?.reason})`);
    const messages = this.of('messageReceived').map((d) => `${short(d?.from)}:${JSON.stringify(d?.content)}`);
    const statuses = this.of('statusChanged')
      .filter((s) => s && s.type !== 'info')
      .map((s) => (s.message ? `${s.type}: ${s.message}` : s.type));
    const errors = this.events.filter((e) => e.type === 'statusChanged' && e.data?.type === 'error');
    const countTypes = (type) => {
      const counts = new Map();
      for (const d of this.of(type)) counts.set(d?.type, (counts.get(d?.type) ?? 0) + 1);
      return [...counts].map(([t, n]) => `${t}x${n}`).join(' ');
    };
    return [
      `${this.name}: discovered=[${discovered}] connected=[${connected}] disconnected=[${disconnected}]`,
      `  signaling from server=[${countTypes('signalingIn')}] to server=[${countTypes('signalingOut')}]`,
      `  messagesReceived=[${messages.join(', ')}]`,
      `  status=[${statuses.slice(-15).join(' | ')}]`,
      errors.length ? `  errors=${errors.length}` : '  errors=0'
    ].join('\n');
  }

  /**
   * Resolves with the first truthy value of `predicate(this)`, re-checked after every recorded event.
   * Rejects after `timeoutMs` with `expected` and the summaries of `context` recorders (defaults to this one).
   */
  waitFor(predicate, { expected, timeoutMs = DEFAULT_WAIT_MS, context = [this] }) {
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          let v;
          try {
            v = predicate(this);
          } catch (err) {
            finish();
            reject(err);
            return;
          }
          if (v) {
            finish();
            resolve(v);
          }
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(
          `Timed out after ${timeoutMs} ms waiting for: ${expected}\nObserved so far:\n` +
          context.map((r) => r.summary()).join('\n')
        ));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      waiter.check();
    });
  }
}
