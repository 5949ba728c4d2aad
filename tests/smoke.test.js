// Smoke test: the built site loads, renders a figure and logs no errors, at the root and
// under a sub-path.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseUrl, subPathUrl, useBrowser } from './support/browser.js';

const session = useBrowser();

test('the page renders the local monthly cost as a number', async (t) => {
  const calculator = await session.open(t, baseUrl());
  assert.match(await calculator.localMonthlyText(), /\d/);
});

test('the page describes itself for search results in at most 160 characters', async (t) => {
  const calculator = await session.open(t, baseUrl());
  const description = await calculator.page
    .locator('meta[name="description"]')
    .getAttribute('content');
  assert.ok(description?.length > 50 && description.length <= 160, `${description?.length}: ${description}`);
  assert.match(description, /cloud API/);
});

test('the header painted before the app loads says what the app’s own header says, and gives way to it', async (t) => {
  // The page as served, before any script has run.
  const html = await (await fetch(baseUrl())).text();
  const shell = /<header class="?site"? id="?shell"?>([\s\S]*?)<\/header>/.exec(html)?.[1];
  assert.ok(shell, 'index.html holds the static header');
  const words = (tag) =>
    new RegExp(`<${tag}[^>]*>([^<]*)</`).exec(shell)?.[1].replace(/\s+/g, ' ').trim();
  const calculator = await session.open(t, baseUrl());
  await calculator.localMonthlyText();
  const page = calculator.page;
  assert.equal(await page.locator('#shell').count(), 0, 'the static header is gone');
  assert.equal(await page.locator('header.site').count(), 1, 'one header, the app’s');
  assert.equal(await page.locator('header.site h1').textContent(), words('h1'));
  assert.equal(await page.locator('header.site .lede').textContent(), words('p'));

  const embed = await session.open(t, `${baseUrl()}?embed=1`);
  await embed.localMonthlyText();
  assert.equal(await embed.page.locator('header').count(), 0, 'an embed has no header once loaded');
});

test('loading the page logs no console errors and no page errors', async (t) => {
  const calculator = await session.open(t, baseUrl());
  // Give late errors (a failed wasm start-up, an unhandled rejection) a moment to surface.
  await calculator.page.waitForLoadState('networkidle');
  assert.deepEqual(calculator.errors, []);
});

test('the page requests nothing beyond its own server', async (t) => {
  const calculator = await session.open(t, baseUrl());
  await calculator.page.waitForLoadState('networkidle');
  const origin = new URL(baseUrl()).origin;
  const foreign = calculator.requests.filter((url) => new URL(url).origin !== origin);
  assert.deepEqual(foreign, []);
});

test('the page works when served from a sub-path', async (t) => {
  const url = subPathUrl();
  assert.ok(url, 'CROSSOVER_SUB_URL names the sub-path copy (cargo xtask test sets it)');
  const calculator = await session.open(t, `${url}?v=1&rpd=20000`);
  await calculator.page.waitForLoadState('networkidle');
  assert.match(await calculator.localMonthlyText(), /\d/);
  assert.deepEqual(calculator.errors, []);
  const outside = calculator.requests.filter((asset) => !asset.startsWith(url));
  assert.deepEqual(outside, [], 'every asset loads from under the sub-path');
  // The link keeps the sub-path: editing rewrites the query, never the path.
  await calculator.fill('rpd', '30000');
  await calculator.waitForSearch(/rpd=30000/);
  assert.equal(new URL(calculator.page.url()).pathname, new URL(url).pathname);
  assert.ok((await calculator.shareLink()).startsWith(`${url}?`), 'the share link keeps the sub-path');
});
