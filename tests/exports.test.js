// Exports: the Markdown report, the CSV of the volume sweep and the JSON of scenario and
// report download under their names, with the page's scenario in them and core's numbers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreReport } from './support/core.js';
import { siteUrl, useBrowser } from './support/browser.js';

const session = useBrowser();
const QUERY = 'v=1&rpd=12000&cm=gpt-4o&hw=a100-80gb&lm=llama3.1:70b&prio=privacy';

test('the Markdown report has the figures shown and the scenario link', async (t) => {
  const calculator = await session.open(t, siteUrl(QUERY));
  const { name, text } = await calculator.download('export-markdown');
  assert.equal(name, 'crossover-report.md');
  assert.match(text, /^# /, 'a Markdown document with a title');
  const cloud = await calculator.text('cloud-monthly');
  assert.ok(text.includes(cloud), `the report has the cloud monthly figure shown, ${cloud}`);
  assert.ok(text.includes(await calculator.text('local-monthly')), 'and the local one');
  const link = await calculator.shareLink();
  assert.ok(text.includes(link), `the report has the scenario link ${link}`);
  for (const section of ['Scenario', 'Break-even', 'Decision']) {
    assert.match(text, new RegExp(`^#+ .*${section}`, 'im'), `the report has a ${section} section`);
  }
  const reasons = await calculator.hook('guide-reasons').locator('li').allTextContents();
  assert.ok(reasons.length > 0 && text.includes(reasons[0].trim()), 'and the guide’s reasons');
});

test('the report follows edits: it is the scenario on screen, not the one opened', async (t) => {
  const calculator = await session.open(t, siteUrl(QUERY));
  await calculator.type('rpd', '30000');
  await calculator.waitForSearch(/[?&]rpd=30000(&|$)/);
  const { text } = await calculator.download('export-markdown');
  assert.ok(text.includes(await calculator.text('cloud-monthly')));
  assert.ok(text.includes(await calculator.shareLink()));
  assert.match(await calculator.shareLink(), /rpd=30000/);
});

test('the CSV is the volume sweep: its header and 60 rows of core’s numbers', async (t) => {
  const [calculator, report] = await Promise.all([
    session.open(t, siteUrl(QUERY)),
    coreReport(QUERY),
  ]);
  const { name, text } = await calculator.download('export-csv');
  assert.equal(name, 'crossover-volume-sweep.csv');
  const [header, ...rows] = text.trimEnd().split(/\r?\n/);
  assert.equal(header, 'requests_per_day,cloud_usd_per_month,local_usd_per_month,local_units');
  assert.equal(rows.length, 60, '60 data rows');
  assert.equal(report.sweep.length, 60);
  rows.forEach((row, i) => {
    const cells = row.split(',');
    assert.equal(cells.length, 4, `row ${i + 1} has 4 cells: ${row}`);
    const [rpd, cloud, local, units] = cells.map(Number);
    const point = report.sweep[i];
    const close = (a, b) => Math.abs(a - b) <= 5e-5 + Math.abs(b) * 1e-12;
    assert.ok(close(rpd, point.rpd), `row ${i + 1} requests/day ${rpd} = ${point.rpd}`);
    assert.ok(close(cloud, point.cloud_usd), `row ${i + 1} cloud ${cloud} = ${point.cloud_usd}`);
    assert.ok(close(local, point.local_usd), `row ${i + 1} local ${local} = ${point.local_usd}`);
    assert.equal(units, point.units, `row ${i + 1} units`);
  });
});

test('the JSON holds the link, the scenario and core’s report', async (t) => {
  const [calculator, report] = await Promise.all([
    session.open(t, siteUrl(QUERY)),
    coreReport(QUERY),
  ]);
  const { name, text } = await calculator.download('export-json');
  assert.equal(name, 'crossover-scenario.json');
  const json = JSON.parse(text);
  assert.equal(json.link, await calculator.shareLink());
  assert.equal(typeof json.scenario, 'object');
  assert.equal(typeof json.report, 'object');
  assert.equal(json.report.cloud.monthly_usd, report.cloud.monthly_usd);
  assert.equal(json.report.local.monthly_usd, report.local.monthly_usd);
  assert.equal(json.report.decision.recommendation, report.decision.recommendation);
  assert.deepEqual(json.report.break_even, report.break_even);
});
