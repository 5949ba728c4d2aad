// The browser's local-network rules (Chrome 142+): on a page served from somewhere other than
// this machine, the measurement panel says before Run that the browser will ask to reach a
// server on this machine or the local network, and what to answer; served from 127.0.0.1 it
// says nothing. The hosted page is the same site under a name that is not this machine's:
// Chromium's host resolver maps `crossover.test` to 127.0.0.1. What cannot be tested
// headless (the prompt itself) is listed in tests/README.md.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { baseUrl, launchBrowser } from './support/browser.js';
import { MeasurePage } from './pages/measure.js';

const HOSTED = 'crossover.test';
let browser;

before(async () => {
  browser = await launchBrowser([`--host-resolver-rules=MAP ${HOSTED} 127.0.0.1`]);
});

after(async () => {
  await browser?.close();
});

/** The panel, opened by a link that points the local side at `endpoint`, from `base`. */
async function panel(t, base, endpoint) {
  const page = await MeasurePage.launch(browser);
  t.after(() => page.close());
  await page.open(`${base}?v=1&lurl=${encodeURIComponent(endpoint)}`);
  await page.waitForPanel();
  return page;
}

test('a hosted page says before Run that the browser will ask, and what to answer', async (t) => {
  const hosted = baseUrl().replace('127.0.0.1', HOSTED);
  const origin = new URL(hosted).origin;
  const page = await panel(t, hosted, 'http://192.168.1.9:11434');
  assert.equal(
    await page.text('measure-local-network'),
    `this page is served from ${origin}: before it reaches http://192.168.1.9:11434, your browser (Chrome 142 and later) asks whether the site may reach devices on your local network; choose Allow. Blocked by mistake: allow local network access again in this site's settings (the icon left of the address)`,
  );
});

test('served from this machine, the page has nothing to ask', async (t) => {
  const page = await panel(t, baseUrl(), 'http://localhost:11434');
  assert.equal(await page.has('measure-local-network'), false);
});
