// The Orleans dashboard of a silo, as an operator's browser shows it: headless Chromium (playwright-core driving
// /usr/bin/chromium) opens PEERPIGEON_DASHBOARD_URL and waits until the rendered page shows the cluster, that is
// the number of active silos (PEERPIGEON_EXPECTED_SILOS, default 2), both silos listed as Active on the Silos page,
// and PeerPigeon grain types with their activation counts on the Grains page. Full-page screenshots go to
// ${PEERPIGEON_OUTPUT_DIR:-tests/output}/dashboard.png (the overview, taken last, once its profiling panel has data),
// dashboard-silos.png and dashboard-grains.png.
//
// With PEERPIGEON_AUTH_TOKEN (the fleet's AUTH_TOKEN) the page must first be refused without credentials and with a
// wrong token (401), then open with HTTP Basic (any user name, the token as password). With PEERPIGEON_URL set, a raw
// peer announces through that gateway first, so PeerGrain and NetworkGrain activations must show too.
//
//   PEERPIGEON_DASHBOARD_URL=http://127.0.0.1:8080/dashboard PEERPIGEON_AUTH_TOKEN=... \
//     node --test tests/node/fleet/dashboard.test.mjs
//
// A missing browser is a failure, not a skip: apt-get install -y chromium (or point PEERPIGEON_CHROMIUM at one).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, requireChromium } from '../lib/chromium.mjs';
import { requireHttpUrl, authToken, fetchBounded, outputDir, connectRawPeer, randomHex, WAIT_MS } from './fleet-env.mjs';

const EXPECTED_SILOS = Number(process.env.PEERPIGEON_EXPECTED_SILOS || 2);
const NOT_LOOKED_AT = 'a dashboard nobody looked at must not look like a passing run';

/** A browser of its own with a fresh, in-memory profile; close() ends the browser. */
async function openBrowser(contextOptions = {}) {
  const browser = await launchChromium({ timeoutMs: WAIT_MS, why: NOT_LOOKED_AT });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...contextOptions });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    return {
      page,
      async close() {
        await browser.close().catch(() => {});
      }
    };
  } catch (err) {
    await browser.close().catch(() => {});
    throw err;
  }
}

/** The visible text of the dashboard's content area, for failure messages. */
async function shownText(page) {
  const text = await page.locator('#content').innerText({ timeout: 2000 }).catch((err) => `(no #content: ${err.message})`);
  return text.replace(/\s+/g, ' ').slice(0, 1500);
}

/** Waits (bounded) until `fn(arg)` in the page returns a truthy value; the error says what the page shows instead. */
async function waitInPage(page, fn, arg, expected) {
  try {
    return await (await page.waitForFunction(fn, arg, { timeout: WAIT_MS, polling: 250 })).jsonValue();
  } catch (err) {
    throw new Error(`Timed out after ${WAIT_MS} ms waiting for the dashboard to show ${expected}.\n` +
      `Page ${page.url()} shows: ${await shownText(page)}\n(${err.message.split('\n')[0]})`);
  }
}

test('the Orleans dashboard of a silo renders the cluster: active silos and PeerPigeon grain activations', async () => {
  const dashboardUrl = requireHttpUrl('PEERPIGEON_DASHBOARD_URL', 'http://127.0.0.1:8080/dashboard');
  requireChromium(NOT_LOOKED_AT);
  const token = authToken();
  const shots = outputDir();
  fs.mkdirSync(shots, { recursive: true });

  // 1. Refused without credentials, and with a wrong token.
  if (token) {
    const anonymous = await openBrowser();
    try {
      // Chromium answers the Basic challenge of the 401 like a user who cancels the prompt: the navigation then fails
      // with ERR_INVALID_AUTH_CREDENTIALS, after the 401 response itself was seen.
      const answered = anonymous.page.waitForResponse((r) => r.url().startsWith(dashboardUrl), { timeout: WAIT_MS });
      const navigation = await anonymous.page.goto(dashboardUrl).then((res) => ({ res }), (err) => ({ err }));
      const res = await answered;
      assert.equal(res.status(), 401, `without credentials ${dashboardUrl} must be refused with 401, got ${res.status()}`);
      assert.match(res.headers()['www-authenticate'] ?? '', /^Basic /, 'the 401 should offer HTTP Basic (the browser prompt)');
      if (navigation.err) {
        assert.match(navigation.err.message, /ERR_INVALID_AUTH_CREDENTIALS/, 'the browser should stop at the refused credentials');
      } else {
        assert.equal(navigation.res?.status(), 401, 'the page the browser shows should be the 401');
      }
    } finally {
      await anonymous.close();
    }
    const wrong = await fetchBounded(dashboardUrl, { headers: { Authorization: `Bearer not-${token}` }, redirect: 'manual' });
    assert.equal(wrong.status, 401, `with a wrong token ${dashboardUrl} must be refused with 401, got ${wrong.status}`);
  } else {
    const res = await fetchBounded(dashboardUrl);
    assert.equal(res.status, 200, `with no PEERPIGEON_AUTH_TOKEN the dashboard should be open: ${dashboardUrl} answered ${res.status}` +
      (res.status === 401 ? ' (the fleet has an AUTH_TOKEN: set PEERPIGEON_AUTH_TOKEN to it)' : ''));
  }

  // Some PeerPigeon activity of our own when a gateway is known: a peer grain and a network grain.
  let peer = null;
  if (process.env.PEERPIGEON_URL) {
    peer = await connectRawPeer(process.env.PEERPIGEON_URL, randomHex(20));
    await peer.announce(`dashboard-${randomHex(4)}`);
  }

  // 2. With credentials: Basic, any user name, the token as password.
  const operator = await openBrowser(token ? { httpCredentials: { username: 'operator', password: token } } : {});
  try {
    const { page } = operator;
    const res = await page.goto(dashboardUrl, { waitUntil: 'load' }).catch((err) => {
      throw new Error(`${dashboardUrl} with Basic credentials (the token as password) did not open: ${err.message.split('\n')[0]}` +
        (/AUTH_CREDENTIALS/.test(err.message) ? ' (is PEERPIGEON_AUTH_TOKEN the fleet\'s AUTH_TOKEN?)' : ''));
    });
    assert.equal(res?.status(), 200, `${dashboardUrl} with credentials should answer 200, got ${res?.status()}`);

    // Overview: the active silos and the total activations, once the dashboard has polled the cluster.
    // Orleans 10's dashboard renders each figure as an info box:
    // <div class="info-box-content"><span class="info-box-text">Active Silos</span><span class="info-box-number">2</span>
    const overview = await waitInPage(page, (silos) => {
      const numbers = {};
      for (const box of document.querySelectorAll('.info-box-content')) {
        const label = box.querySelector('.info-box-text')?.textContent?.trim().toLowerCase();
        const n = Number(box.querySelector('.info-box-number')?.textContent?.trim());
        if (label && Number.isFinite(n)) numbers[label] = n;
      }
      const shown = { silos: numbers['active silos'], activations: numbers['total activations'] };
      return shown.silos === silos && shown.activations > 0 ? shown : null;
    }, EXPECTED_SILOS, `${EXPECTED_SILOS} active silos and some activations on the overview`);
    assert.equal(overview.silos, EXPECTED_SILOS, `the overview should show ${EXPECTED_SILOS} active silos`);

    // Silos page: one row per silo, each labelled Active.
    await page.goto(new URL('#/silos', page.url()).toString());
    const silos = await waitInPage(page, (count) => {
      const rows = [...document.querySelectorAll('#content table.table tr')]
        .filter((tr) => tr.querySelector('a[href^="#/host/"]') && tr.querySelectorAll('td').length >= 5)
        .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()));
      const active = rows.filter((cells) => cells[1] === 'Active');
      return active.length === count ? active.map((cells) => ({ address: cells[0], name: cells[2], activations: cells[5] })) : null;
    }, EXPECTED_SILOS, `${EXPECTED_SILOS} silos listed as Active on the Silos page`);
    assert.equal(new Set(silos.map((s) => s.address)).size, EXPECTED_SILOS, `the silos should have distinct addresses: ${JSON.stringify(silos)}`);
    await page.screenshot({ path: path.join(shots, 'dashboard-silos.png'), fullPage: true });

    // Grains page: PeerPigeon grain types (title = full type name) with an activation count.
    const wanted = peer ? ['PeerGrain', 'NetworkGrain', 'ClusterDirectoryGrain'] : ['ClusterDirectoryGrain'];
    await page.goto(new URL('#/grains', page.url()).toString());
    const grains = await waitInPage(page, (names) => {
      const rows = [...document.querySelectorAll('#content table.table tr')]
        .map((tr) => {
          const cell = tr.querySelector('td[title^="PeerPigeon.Grains."]');
          const count = Number(tr.querySelectorAll('td')[2]?.textContent?.trim());
          return cell ? { type: cell.textContent.trim(), title: cell.title, count } : null;
        })
        .filter(Boolean);
      return names.every((n) => rows.some((r) => r.type === n && r.count > 0)) ? rows : null;
    }, wanted, `activation counts for ${wanted.join(', ')} on the Grains page`);
    for (const name of wanted) {
      const row = grains.find((g) => g.type === name);
      assert.ok(row && Number.isInteger(row.count) && row.count > 0, `${name} should show a positive activation count: ${JSON.stringify(grains)}`);
    }
    await page.screenshot({ path: path.join(shots, 'dashboard-grains.png'), fullPage: true });

    // Back to the overview for dashboard.png, once its profiling panel lists grain methods with their call rates
    // (the dashboard's own sampling: it needs a few seconds of history after start).
    await page.goto(new URL('#/', page.url()).toString());
    await waitInPage(page, (silos) => {
      const card = [...document.querySelectorAll('#content .card')]
        .find((c) => c.querySelector('.card-title')?.textContent?.trim().startsWith('Methods with Most Calls'));
      const boxes = [...document.querySelectorAll('.info-box-content')]
        .find((box) => box.querySelector('.info-box-text')?.textContent?.trim().toLowerCase() === 'active silos');
      return Number(boxes?.querySelector('.info-box-number')?.textContent) === silos && /req\/sec/.test(card?.textContent ?? '');
    }, EXPECTED_SILOS, `the overview again with ${EXPECTED_SILOS} active silos and grain methods under "Methods with Most Calls"`);
    await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });
    process.stderr.write(`dashboard: ${overview.silos} active silos, ${overview.activations} activations; ` +
      `silos ${silos.map((s) => `${s.name}@${s.address}`).join(', ')}; ` +
      `grains ${grains.map((g) => `${g.type}=${g.count}`).join(', ')}; screenshots in ${shots}\n`);
  } finally {
    await operator.close();
    peer?.close();
  }
});
