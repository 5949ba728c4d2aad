// Scenario links: the headline figures a link opens on are crossover-core's own figures for
// the same query (its `evaluate` example), at the precision the page shows.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreReport } from './support/core.js';
import { HEADLINE, assertHeadlineMatches, parseShown } from './support/figures.js';
import { siteUrl, useBrowser } from './support/browser.js';

const session = useBrowser();

/** Varied links: owned and rented, known bill, hybrid, growth, none and never, number forms. */
const LINKS = [
  ['the defaults', 'v=1&rpd=5000'],
  [
    'a large workload that pays back locally',
    'v=1&rpd=50000&in=1500&out=600&cm=gpt-4o&hw=a100-80gb&lm=llama3.1:70b&prio=privacy',
  ],
  [
    'rented H100s with growth over five years',
    'v=1&rpd=20000&hw=h100-80gb&mode=rent&peak=8&slots=4&growth=5&yrs=5',
  ],
  [
    'a known bill, hybrid routing, staff costs and guide flags',
    'v=1&rpd=12000&bill=9000&hyb=60&esc=10&sens=5&maint=200&ops=1500&flags=regulated,no-ops&derive=1',
  ],
  [
    'no payback and no break-even volume',
    'v=1&rpd=2000&cm=gpt-4o-mini&hw=h100-80gb&lm=llama3.1:70b&q=f16&ops=3000',
  ],
  [
    'measured speeds, caching and numbers written as 8e3',
    'v=1&rpd=8e3&cm=gemini-2.5-flash&hw=m4-max-128&lm=qwen2.5:14b&q=q8_0&tps=30&ptps=400&cache=40',
  ],
  ['a thousands separator and an Apple machine', 'v=1&rpd=2%2C500&hw=m4-max-128&yrs=2&kwh=0.3'],
];

for (const [name, query] of LINKS) {
  test(`a link shows core's figures: ${name}`, async (t) => {
    const [calculator, report] = await Promise.all([
      session.open(t, siteUrl(query)),
      coreReport(query),
    ]);
    assert.deepEqual(await calculator.linkNotes(), [], 'the link is clean: no banner');
    assertHeadlineMatches(await calculator.figures(), report, query);
  });
}

test('the cost table and TCO agree with core', async (t) => {
  const query = LINKS[1][1];
  const [calculator, report] = await Promise.all([
    session.open(t, siteUrl(query)),
    coreReport(query),
  ]);
  const monthly = async (row) => {
    const cells = await calculator.hook(row).locator('td').allTextContents();
    return parseShown(cells[0]).value;
  };
  const near = (shown, expected, label) =>
    assert.ok(Math.abs(shown - expected) <= 0.5, `${label}: page ${shown}, core ${expected}`);
  near(await monthly('cost-row-cloud'), report.cloud.monthly_usd, 'cloud per month');
  near(await monthly('cost-row-owned'), report.owned.monthly_usd, 'owned per month');
  near(await monthly('cost-row-rented'), report.rented.monthly_usd, 'rented per month');
  near(parseShown(await calculator.text('tco-cloud')).value, report.tco.cloud_usd, 'TCO cloud');
  const local = (await calculator.text('tco-local')).split(' ')[0];
  near(parseShown(local).value, report.tco.local_usd, 'TCO local');
});

test('every figure has its working under "Show the math"', async (t) => {
  const calculator = await session.open(t, siteUrl(LINKS[0][1]));
  for (const id of [...HEADLINE, 'memory', 'serving']) {
    const math = calculator.hook(`math-${id}`);
    await math.locator('summary').click();
    assert.equal(await math.evaluate((d) => d.open), true, `math-${id} opens`);
    // The working renders on the details' toggle event, which the browser queues after the click.
    await math.locator('code').first().waitFor({ timeout: 5000 });
    const body = (await math.innerText()).replace(/^\s*Show the math\s*/, '');
    assert.match(body, /\d/, `math-${id} shows this scenario's numbers`);
    assert.match(body, /=/, `math-${id} shows a formula`);
  }
});

test('when the module with the working cannot load, "Show the math" says so and the page goes on', async (t) => {
  const calculator = await session.open(t);
  await calculator.page.route('**/crossover-extras*', (route) => route.abort());
  await calculator.open(siteUrl(LINKS[0][1]), { panels: false });
  // The panels below the figures come from the same module: they say so too.
  await calculator.hook('panels-load-failed').waitFor({ timeout: 5000 });
  const math = calculator.hook('math-cloud-monthly');
  await math.locator('summary').click();
  const problem = math.getByRole('alert');
  await problem.waitFor({ timeout: 5000 });
  assert.match(await problem.textContent(), /could not load/);
  assert.match(await calculator.text('cloud-monthly'), /\$\d/, 'the figures stay');
  await calculator.fill('rpd', '9000');
  await calculator.waitForSearch(/[?&]rpd=9000(&|$)/);
  // The browser reports the load this test refused; any other console error still fails it.
  calculator.errors = calculator.errors.filter(
    (line) => !(line.startsWith('console error: Failed to load resource:') && line.includes('/crossover-extras.js)')),
  );
});
