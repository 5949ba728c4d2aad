// Accessibility: axe-core finds no serious or critical violation, in the system's light and
// dark, with the theme chosen by the toggle against the system's, with every section open,
// with a field error showing, in embed mode, and with the measurement panel showing results,
// a problem and its tables (which also must not widen the page).

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { siteUrl, useBrowser } from './support/browser.js';
import { startFakeLlm } from './support/fake-llm.js';
import { MeasurePage } from './pages/measure.js';

const session = useBrowser();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const QUERY = 'v=1&rpd=20000&hyb=40&cm=gpt-4o';
/**
 * axe-core goes into the page as an inline script, which the page's Content-Security-Policy
 * refuses (tests/csp.test.js checks that it does): the audited pages' contexts let it in.
 */
const AUDIT = { bypassCSP: true };

/** Runs axe-core on the page; returns the serious and critical violations. */
async function seriousViolations(calculator) {
  await calculator.page.addScriptTag({ path: AXE });
  const results = await calculator.page.evaluate(() =>
    axe.run(document, { resultTypes: ['violations'] }),
  );
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The violations as readable lines: rule, impact, help and each node with its problem. */
function describe(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : '';
      return `  ${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help}\n${nodes}${more}`;
    })
    .join('\n');
}

async function assertAccessible(calculator, label) {
  const violations = await seriousViolations(calculator);
  assert.deepEqual(
    violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `axe-core finds no serious or critical violation, ${label}:\n${describe(violations)}`,
  );
}

// At 360 px the wide tables scroll inside their boxes, which axe checks for keyboard access.
for (const [colorScheme, width] of [
  ['light', 360],
  ['dark', 1280],
]) {
  test(`no serious or critical axe violations, system ${colorScheme}, ${width} px`, async (t) => {
    const calculator = await session.open(t, siteUrl(QUERY), {
      ...AUDIT,
      colorScheme,
      viewport: { width, height: 800 },
    });
    await calculator.page.emulateMedia({ colorScheme });
    await calculator.openAllDetails();
    await assertAccessible(calculator, `system ${colorScheme} at ${width} px, every section open`);
  });
}

for (const [theme, colorScheme, width] of [
  ['light', 'dark', 1280],
  ['dark', 'light', 360],
]) {
  test(`no serious or critical axe violations, ${theme} theme chosen on a ${colorScheme} system, ${width} px`, async (t) => {
    const calculator = await session.open(t, siteUrl(QUERY), {
      ...AUDIT,
      colorScheme,
      viewport: { width, height: 800 },
    });
    await calculator.setTheme(theme);
    await calculator.openAllDetails();
    await calculator.fill('rpd', '-5');
    await calculator.hook('error-rpd').filter({ hasText: /\S/ }).waitFor();
    // The chart readouts with a point chosen.
    await calculator.hook('chart-cost').focus();
    await calculator.page.keyboard.press('End');
    await assertAccessible(
      calculator,
      `${theme} theme on a ${colorScheme} system at ${width} px, with a field error`,
    );
  });
}

test('no serious or critical axe violations in embed mode with a malformed link', async (t) => {
  const calculator = await session.open(t, siteUrl(`${QUERY}&zzz=1&embed=1`), {
    ...AUDIT,
    colorScheme: 'dark',
  });
  await assertAccessible(calculator, 'embed, dark, with the link-notes banner');
});

for (const [colorScheme, width] of [
  ['light', 360],
  ['dark', 1280],
]) {
  test(`no serious or critical axe violations in the measurement panel, ${colorScheme}, ${width} px`, async (t) => {
    const llm = await startFakeLlm();
    const page = await MeasurePage.launch(session.browser(), undefined, {
      ...AUDIT,
      colorScheme,
      viewport: { width, height: 800 },
    });
    t.after(async () => {
      try {
        await page.close();
      } finally {
        await llm.close();
      }
    });
    // The local side answers; the cloud side refuses its key, so a problem shows too.
    const local = encodeURIComponent(`${llm.url}tokens=12/itl=2/think=2`);
    const cloud = encodeURIComponent(`${llm.url}key=right/fault=401/v1`);
    page.expectFailedRequestsTo(llm.url);
    await page.open(siteUrl(`${QUERY}&lurl=${local}&curl=${cloud}&runs=2&warm=0`));
    await page.waitForPanel();
    await page.run();
    await assertAccessible(page, `measurement panel with results and a problem, ${colorScheme}, ${width} px`);
    // Its tables scroll inside their boxes: the page itself never scrolls sideways.
    const scrollWidth = await page.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `page width ${scrollWidth} px fits the ${width} px viewport`);
  });
}
