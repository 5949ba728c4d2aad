// Launching the headless browser and finding the site under test.
//
// `cargo xtask test` serves dist/ on 127.0.0.1 and passes its URLs in the environment:
// CROSSOVER_BASE_URL (the site at the root), CROSSOVER_SUB_URL (the same site under a
// sub-path) and CROSSOVER_CHROMIUM (the browser binary).

import { chromium } from 'playwright-core';

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
];

/** Launches headless Chromium (Debian's /usr/bin/chromium unless told otherwise). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CROSSOVER_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
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
