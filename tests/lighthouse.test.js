// Lighthouse on the built site, as a new visitor meets it: dist/ served gzip-compressed (as
// GitHub Pages serves it) from 127.0.0.1, audited on the suite's Chromium with Lighthouse's
// mobile settings (a mid-range phone, slow 4G, 4× CPU slowdown, simulated) and its desktop
// preset, each in a fresh browser. Accessibility, best practices and SEO must score 100 on
// both; performance is printed (`lighthouse:` lines) and recorded in BENCHMARKS.md, not
// asserted, because this shared 2-core machine cannot hold it from run to run.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { launchBrowser } from './support/browser.js';
import { freePort, serveDirectory } from './support/server.js';

/** The categories that must score 100 on both form factors. */
const EXACT = ['accessibility', 'best-practices', 'seo'];

/** dist/, served compressed. */
let site;
before(async () => {
  site = await serveDirectory(fileURLToPath(new URL('../dist/', import.meta.url)), { gzip: true });
});
after(async () => {
  await site?.close();
});

/** Audits the site in a fresh browser with `config` (Lighthouse's mobile default when null). */
async function audit(config) {
  const port = await freePort();
  const browser = await launchBrowser([`--remote-debugging-port=${port}`]);
  try {
    const result = await lighthouse(site.url, { port, logLevel: 'error', output: 'json' }, config);
    return result.lhr;
  } finally {
    await browser.close();
  }
}

/** `name score` for every category, and the audits of `ids` with their values. */
function summary(lhr, ids) {
  const scores = Object.values(lhr.categories).map((c) => `${c.id} ${Math.round(c.score * 100)}`);
  const values = ids.map((id) => `${id} ${lhr.audits[id]?.displayValue ?? '?'}`);
  return `${scores.join(', ')}; ${values.join(', ')}`;
}

/** The audits of `category` that lost points, with what Lighthouse says about them. */
function lost(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id].score ?? 1) < 1)
    .map((ref) => `${ref.id}: ${lhr.audits[ref.id].title} ${lhr.audits[ref.id].displayValue ?? ''}`);
}

for (const [form, config] of [
  ['mobile', null],
  ['desktop', desktopConfig],
]) {
  test(`Lighthouse ${form}: accessibility, best practices and SEO score 100`, async (t) => {
    const lhr = await audit(config);
    assert.equal(lhr.runtimeError, undefined, JSON.stringify(lhr.runtimeError));
    t.diagnostic(
      `lighthouse ${form}: ${summary(lhr, [
        'first-contentful-paint',
        'largest-contentful-paint',
        'total-blocking-time',
        'cumulative-layout-shift',
        'speed-index',
        'dom-size',
      ])}`,
    );
    for (const category of EXACT) {
      assert.equal(
        Math.round(lhr.categories[category].score * 100),
        100,
        `${form} ${category}: ${lost(lhr, category).join('; ')}`,
      );
    }
  });
}
