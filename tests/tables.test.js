// Tables and drop-downs fit: at 1280 px every column of every table shows without scrolling and
// every drop-down shows its chosen option whole; at 360 px a table may scroll inside its panel,
// its first column kept in view. Every panel open, the catalog's tables included.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { siteUrl, useBrowser } from './support/browser.js';

const session = useBrowser();

/** The native drop-down arrow's share of a select's box, px. */
const ARROW = 20;

/** Opens the page at `width` px with the catalog and every "Show the math" open. */
async function everyPanel(t, width) {
  const calculator = await session.open(t, siteUrl('v=1&rpd=20000&eng=vllm&slo_ttft=2000'), {
    viewport: { width, height: 900 },
  });
  await calculator.hook('catalog-open').click();
  await calculator.hook('accuracy-table').waitFor();
  await calculator.openAllDetails();
  return calculator;
}

test('at 1280 px every table shows every column and every drop-down its whole choice', async (t) => {
  const calculator = await everyPanel(t, 1280);
  const tables = await calculator.tableFits();
  assert.ok(tables.length >= 10, `${tables.length} tables`);
  const over = tables.filter((f) => f.needs > f.width);
  assert.deepEqual(over, [], 'no table scrolls');
  const selects = await calculator.selectFits();
  assert.ok(selects.length >= 6, `${selects.length} drop-downs`);
  const cut = selects.filter((s) => s.needs > s.room - ARROW);
  assert.deepEqual(cut, [], 'no drop-down cuts its choice');
});

test('at 360 px a table scrolls inside its panel with its first column in view', async (t) => {
  const calculator = await everyPanel(t, 360);
  const tables = await calculator.tableFits();
  const scrolling = tables.filter((f) => f.needs > f.width && f.first);
  assert.ok(scrolling.length > 0, 'some tables are wider than a phone');
  for (const f of scrolling) {
    assert.ok(Math.abs(f.first[0]) <= 1, `${f.testid}: the first column stays at the left (${f.first[0]} px)`);
    assert.ok(f.last[1] <= f.width + 1, `${f.testid}: the last column scrolls into view (${f.last} in ${f.width} px)`);
  }
  const selects = await calculator.selectFits();
  const cut = selects.filter((s) => s.needs > s.room - ARROW);
  assert.deepEqual(cut, [], 'a drop-down takes its whole row and shows its choice');
});
