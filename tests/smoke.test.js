// Smoke test: the built site loads, renders a figure and logs no errors, at the root and
// under a sub-path.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CalculatorPage } from './pages/calculator.js';
import { baseUrl, launchBrowser, subPathUrl } from './support/browser.js';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Opens a fresh page on `url` in its own context. */
async function openCalculator(t, url) {
  const context = await browser.newContext();
  t.after(() => context.close());
  const calculator = new CalculatorPage(await context.newPage());
  await calculator.open(url);
  return calculator;
}

test('the page renders the local monthly cost as a number', async (t) => {
  const calculator = await openCalculator(t, baseUrl());
  assert.match(await calculator.localMonthlyText(), /\d/);
});

test('loading the page logs no console errors and no page errors', async (t) => {
  const calculator = await openCalculator(t, baseUrl());
  // Give late errors (a failed wasm start-up, an unhandled rejection) a moment to surface.
  await calculator.page.waitForLoadState('networkidle');
  assert.deepEqual(calculator.errors, []);
});

test('the page requests nothing beyond its own server', async (t) => {
  const calculator = await openCalculator(t, baseUrl());
  await calculator.page.waitForLoadState('networkidle');
  const origin = new URL(baseUrl()).origin;
  const foreign = calculator.requests.filter((url) => new URL(url).origin !== origin);
  assert.deepEqual(foreign, []);
});

test('the page works when served from a sub-path', async (t) => {
  const url = subPathUrl();
  if (!url) {
    t.skip('CROSSOVER_SUB_URL is not set');
    return;
  }
  const calculator = await openCalculator(t, url);
  await calculator.page.waitForLoadState('networkidle');
  assert.match(await calculator.localMonthlyText(), /\d/);
  assert.deepEqual(calculator.errors, []);
  const outside = calculator.requests.filter((asset) => !asset.startsWith(url));
  assert.deepEqual(outside, [], 'every asset loads from under the sub-path');
});
