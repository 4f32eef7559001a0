// bench/report.mjs: the published tables of docs/performance.md are exactly what the committed results of the run
// produce, and an open-loop relay run counts as kept up only when everything arrived with p99 under 500 ms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const report = path.join(root, 'bench/report.mjs');
const published = path.join(root, 'docs/performance.md');

function inTemp(body) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'report-test-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('docs/performance.md holds the tables its committed results produce', () => inTemp(dir => {
  cpSync(path.join(root, 'docs/performance/results'), path.join(dir, 'results'), { recursive: true });
  const doc = path.join(dir, 'performance.md');
  cpSync(published, doc);
  execFileSync('node', [report, path.join(dir, 'results'), '--docs', doc], { stdio: 'pipe' });
  const expected = readFileSync(published, 'utf8');
  const actual = readFileSync(doc, 'utf8');
  assert.ok(expected.includes('### Relay to saturation') && expected.includes('### Cross-check with Tsung'),
    'expected the published page to contain the generated tables');
  assert.equal(actual, expected, 'regenerating the tables from docs/performance/results changed docs/performance.md: '
    + 're-run `node bench/report.mjs <results> --docs docs/performance.md --plots docs/performance` from the run the page shows');
}));

function relayRun(dir, name, { status = 'Ok', rate = '5000', p99 = 8_000 }) {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({
    scenario: 'relay', status, parameters: { rate }, metrics: { relayedMessagesPerSecond: 1 },
    latencies: { 'one-way A->B': { p50: 1_000, p99, max: p99 } },
  }));
  return execFileSync('node', [report, '--status', file], { encoding: 'utf8' }).trim();
}

test('an open-loop relay run is saturated from a one-way p99 of 500 ms, whatever it delivered', () => inTemp(dir => {
  assert.equal(relayRun(dir, 'kept-up', { p99: 499_999 }), 'Ok');
  assert.equal(relayRun(dir, 'behind', { p99: 500_000 }), 'Saturated');
  assert.equal(relayRun(dir, 'lost', { status: 'Failed', p99: 1_000 }), 'Failed');
  assert.equal(relayRun(dir, 'cut', { status: 'TimedOut', p99: 1_000 }), 'TimedOut');
}));

test('a closed-loop relay run is judged by its status alone (its latency is the queue it keeps)', () => inTemp(dir => {
  assert.equal(relayRun(dir, 'closed', { rate: '0', p99: 2_000_000 }), 'Ok');
}));
