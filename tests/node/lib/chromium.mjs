// Headless Chromium for the Node test suites (playwright-core driving the system Chromium, /usr/bin/chromium or
// PEERPIGEON_CHROMIUM). Used by tests/node/fleet/dashboard.test.mjs and tests/node/browser/.
//
// A missing browser is a failure, not a skip: apt-get install -y chromium (or point PEERPIGEON_CHROMIUM at one).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.PEERPIGEON_CHROMIUM || '/usr/bin/chromium';

/**
 * The switches every test browser gets: headless, no sandbox (the tests run as root in a container), no GPU, no
 * first-run UI, and nothing that phones home on its own (background networking, component updates, sync, QUIC), so
 * the only traffic is what the test causes.
 */
export const BASE_ARGS = Object.freeze([
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic'
]);

/** Throws, with how to fix it, when there is no Chromium binary. `why` ends the message (what must not look passed). */
export function requireChromium(why = 'a browser test that never ran must not look like a passing run') {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set PEERPIGEON_CHROMIUM ` +
      `to a Chromium binary (refusing to skip: ${why})`);
  }
}

/**
 * Starts one headless Chromium with BASE_ARGS plus `extraArgs`. Each `browser.newContext()` is then a fresh,
 * in-memory profile (its own cookies, storage and permissions); `browser.close()` ends the process.
 */
export async function launchChromium({ extraArgs = [], timeoutMs = 30_000, why } = {}) {
  requireChromium(why);
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...BASE_ARGS, ...extraArgs],
      timeout: timeoutMs
    });
  } catch (err) {
    throw new Error(`Chromium (${CHROMIUM}) did not start within ${timeoutMs} ms: ${err.message}`);
  }
}

/** Where screenshots go: PEERPIGEON_OUTPUT_DIR, else tests/output of this repository (not committed). */
export function outputDir() {
  if (process.env.PEERPIGEON_OUTPUT_DIR) return path.resolve(process.env.PEERPIGEON_OUTPUT_DIR);
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'output');
}
