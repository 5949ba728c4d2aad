// The built page's Content-Security-Policy (written by `cargo xtask build` into dist/index.html):
// the page, the module it loads on demand, a measurement against a server on 127.0.0.1 and the
// embed all run without a violation, and a script injected inline is refused.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { siteUrl, useBrowser } from './support/browser.js';
import { startFakeLlm } from './support/fake-llm.js';
import { MeasurePage } from './pages/measure.js';

const session = useBrowser();

/** Opens `url` in a page that records every CSP violation in `window.violations`. */
async function openWatched(t, url) {
  const page = await MeasurePage.launch(session.browser());
  t.after(() => page.close());
  await page.page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.open(url);
  return page;
}

const violations = (page) => page.page.evaluate(() => window.violations);

test('the page, its on-demand module and a measurement run under the policy', async (t) => {
  const llm = await startFakeLlm();
  t.after(() => llm.close());
  const page = await openWatched(
    t,
    siteUrl(`v=1&lurl=${encodeURIComponent(`${llm.url}tokens=8`)}&runs=1&warm=0`),
  );
  const policy = await page.page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'/);
  assert.match(policy, /connect-src 'self' http: https:/);
  assert.match(policy, /object-src 'none'/);
  assert.match(policy, /base-uri 'none'/);
  assert.doesNotMatch(policy, /unsafe-inline/);
  await page.waitForPanel();
  assert.equal(await page.run(), '1 of 1 requests');
  await page.hook('catalog-open').click();
  await page.hook('accuracy-table').waitFor();
  assert.deepEqual(await violations(page), []);
});

test('an inline script injected into the page is refused', async (t) => {
  const page = await openWatched(t, siteUrl('v=1'));
  await page.page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true;';
    document.head.append(script);
  });
  await page.page.waitForFunction(() => window.violations.length > 0);
  assert.equal(await page.page.evaluate(() => window.injected), undefined);
  assert.deepEqual(await violations(page), ['script-src-elem inline']);
  // The browser logs the refusal: expected here, so not a failure of the page.
  page.errors = page.errors.filter((e) => !/Content Security Policy/.test(e));
});

test('the embed runs under the policy', async (t) => {
  const page = await openWatched(t, siteUrl('v=1&rpd=20000&embed=1&panels=figures,charts'));
  await page.hook('chart-cost').waitFor();
  assert.deepEqual(await violations(page), []);
});
