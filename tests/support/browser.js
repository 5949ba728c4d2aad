// Launching the headless browser and finding the site under test.
//
// `cargo xtask test` serves dist/ on 127.0.0.1 and passes its URLs in the environment:
// CROSSOVER_BASE_URL (the site at the root), CROSSOVER_SUB_URL (the same site under a
// sub-path) and CROSSOVER_CHROMIUM (the browser binary); support/core.js reads
// CROSSOVER_EVALUATE (core's `evaluate` example).

import { mkdir } from 'node:fs/promises';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CalculatorPage } from '../pages/calculator.js';

/** Flags for a quiet, headless Chromium that makes no requests of its own. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
  // Many history.replaceState calls in a row (the perf test types 200 values) must not be
  // throttled; Puppeteer turns this protection off for automation too.
  '--disable-ipc-flooding-protection',
];

/**
 * Launches headless Chromium (Debian's /usr/bin/chromium unless told otherwise), with `extra`
 * flags after the suite's own.
 */
export function launchBrowser(extra = []) {
  return chromium.launch({
    executablePath: process.env.CROSSOVER_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...extra],
  });
}

/**
 * Launches the browser once for a test file and gives each test its own calculator page, in
 * its own context, closed after the test; closing fails the test if the page logged a console
 * error or threw (see CalculatorPage.close).
 *
 * @returns {{
 *   browser: () => import('playwright-core').Browser,
 *   open: (t: import('node:test').TestContext, url: string,
 *          contextOptions?: import('playwright-core').BrowserContextOptions)
 *         => Promise<CalculatorPage>,
 * }}
 */
export function useBrowser() {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return {
    browser: () => browser,
    async open(t, url, contextOptions = {}) {
      const calculator = await CalculatorPage.launch(browser, undefined, contextOptions);
      t.after(() => calculator.close());
      if (url) {
        await calculator.open(url);
      }
      return calculator;
    },
  };
}

/** The site's URL with a scenario query (`v=1&rpd=...`, with or without `?`). */
export function siteUrl(query = '', base = baseUrl()) {
  const q = query.replace(/^\?/, '');
  return q ? `${base}?${q}` : base;
}

/** The URL of the site at the root of its server, ending with `/`. */
export function baseUrl() {
  return requiredUrl('CROSSOVER_BASE_URL');
}

/** The URL of the same site served under a sub-path, ending with `/`, if there is one. */
export function subPathUrl() {
  return process.env.CROSSOVER_SUB_URL && checkedUrl('CROSSOVER_SUB_URL');
}

function requiredUrl(name) {
  if (!process.env[name]) {
    throw new Error(`${name} is not set: run the suite with \`cargo xtask test\``);
  }
  return checkedUrl(name);
}

function checkedUrl(name) {
  const url = process.env[name];
  const parsed = new URL(url);
  if (parsed.hostname !== '127.0.0.1') {
    throw new Error(`${name} must point at a 127.0.0.1 server, not ${parsed.hostname}`);
  }
  return url;
}

/** tests/test-results/ (gitignored), created on demand: screenshots and measurements. */
export async function resultsDir() {
  const dir = fileURLToPath(new URL('../test-results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  return dir;
}
