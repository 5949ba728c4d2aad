// The parts the module loaded on demand draws into the calculator: the capacity curves of the
// scenario, which follow its edits, and the serving model's estimates against measurements.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreReport } from './support/core.js';
import { assertHeadlineMatches, assertShownEquals } from './support/figures.js';
import { siteUrl, useBrowser } from './support/browser.js';

const session = useBrowser();

const LINK = 'v=1&rpd=20000&hw=h100-80gb&lm=llama3.1:8b&eng=vllm&slo_tpot=40';

/** The rows of the capacity chart's text table, as numbers. */
async function curveRows(calculator) {
  return calculator.hook('chart-capacity-replica').evaluate((svg) => {
    const table = svg.closest('.chart').querySelector('table');
    return [...table.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.cells].map((cell) => Number(cell.textContent.replace(/,/g, ''))),
    );
  });
}

test('the capacity curves draw the operating point core sizes, and follow the scenario', async (t) => {
  const calculator = await session.open(t, siteUrl(LINK));
  await calculator.hook('capacity-open').click();
  await calculator.hook('chart-capacity-replica').waitFor();
  const core = (await coreReport(LINK)).capacity;
  const rows = await curveRows(calculator);
  assert.equal(rows[0][0], 1, 'the curve starts at one request in flight');
  for (let k = 1; k < rows.length; k += 1) {
    assert.ok(rows[k][1] >= rows[k - 1][1], `replica output never falls: ${rows[k - 1]} → ${rows[k]}`);
    assert.ok(rows[k][2] <= rows[k - 1][2], `a stream's speed never rises: ${rows[k - 1]} → ${rows[k]}`);
  }
  const operating = rows.find((row) => row[0] === core.streams_per_replica);
  assert.ok(operating, `the curve has the operating point, ${core.streams_per_replica} streams`);
  assert.ok(Math.abs(operating[1] - core.aggregate_tps) <= 0.5, `${operating[1]} against core ${core.aggregate_tps}`);
  assert.ok(Math.abs(operating[3] - core.tpot_ms) <= 0.05, `${operating[3]} ms against core ${core.tpot_ms}`);
  const stream = await calculator.hook('chart-capacity-stream').evaluate((svg) => svg.textContent);
  assert.match(stream, /target 25\.0/, 'slo_tpot=40 is a level of 25 tok/s');

  // Focus reads the operating point out; the arrow keys step along the curve.
  const readout = calculator.hook('chart-readout-capacity-replica');
  await calculator.hook('chart-capacity-replica').focus();
  const start = (await readout.textContent()).trim();
  assert.match(start, new RegExp(`^${core.streams_per_replica} in flight`));
  await calculator.page.keyboard.press('Home');
  assert.match((await readout.textContent()).trim(), /^1 in flight: the replica puts out [\d,]+ tok\/s/);

  // A longer answer slows every step: the curve is redrawn for it.
  await calculator.fill('out', '2000');
  await calculator.waitForSearch(/[?&]out=2000(&|$)/);
  await calculator.page.waitForFunction(
    (before) => {
      const svg = document.querySelector('[data-testid="chart-capacity-replica"]');
      const cell = svg?.closest('.chart')?.querySelector('tbody tr:last-child td:nth-child(2)');
      return cell && cell.textContent !== before;
    },
    String(rows.at(-1)[1].toLocaleString('en-US')),
  );
  const after = await curveRows(calculator);
  const query = LINK.replace('slo_tpot=40', 'out=2000&slo_tpot=40');
  const moved = (await coreReport(query)).capacity;
  const point = after.find((row) => row[0] === moved.streams_per_replica);
  assert.ok(point && Math.abs(point[1] - moved.aggregate_tps) <= 0.5, 'the redrawn curve is core\'s');
});

// Serving links: a 70B at FP8 on H100s under vLLM with both latency targets (the TTFT target
// adds replicas); an MoE on one RTX 4090 under llama.cpp with a q4_0 KV cache and a TTFT
// target; gpt-oss-120b at MXFP4 under vLLM with a q8_0 cache.
const SERVING_LINKS = [
  'v=1&rpd=2000000&hw=h100-80gb&lm=llama3.3:70b&q=fp8&eng=vllm&slo_ttft=1500&slo_tpot=50',
  'v=1&rpd=20000&lm=qwen3:30b-a3b&kvq=q4_0&ctx=32768&slots=4&slo_ttft=3000',
  'v=1&rpd=100000&hw=rtx-pro-6000&lm=gpt-oss:120b&q=mxfp4&eng=vllm&kvq=q8_0',
];

test('links with eng, kvq, slo_ttft and slo_tpot: the inputs, the figures and the capacity are core’s', async (t) => {
  const bounds = [];
  for (const link of SERVING_LINKS) {
    const calculator = await session.open(t, siteUrl(link));
    const report = await coreReport(link);
    const query = new URLSearchParams(link);
    for (const key of ['eng', 'kvq', 'slo_ttft', 'slo_tpot']) {
      if (query.has(key)) {
        assert.equal(await calculator.value(key), query.get(key), `input-${key} shows the link's ${key}`);
      }
    }
    assertHeadlineMatches(await calculator.figures(), report, link);
    const c = report.capacity;
    bounds.push(c.bound);
    const streams = await calculator.text('streams-per-replica');
    assertShownEquals(streams.split(' ')[0], c.streams_per_replica, `streams per replica (${link})`);
    const output = await calculator.text('replica-output');
    const [tps, tpot] = /^([\d,.]+) tok\/s with every stream busy, ([\d,.]+) ms per output token/
      .exec(output)
      .slice(1);
    assertShownEquals(tps, c.aggregate_tps, `replica output (${link})`);
    assertShownEquals(tpot, c.tpot_ms, `time per output token (${link})`);
    const ttft = await calculator.text('p95-ttft');
    assertShownEquals(ttft.split(' ')[0], c.p95_ttft_ms, `p95 time to first token (${link})`);
    if (query.has('slo_ttft')) {
      assert.ok(ttft.includes(`target ${Number(query.get('slo_ttft')).toLocaleString('en-US')} ms`), ttft);
    }
  }
  assert.ok(bounds.includes('ttft'), `a time-to-first-token target bound one of them: ${bounds}`);
});

test('the catalog compares every measured figure with its estimate', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1'));
  await calculator.hook('catalog-open').click();
  await calculator.hook('accuracy-table').waitFor();
  const errors = await calculator.hook('accuracy-table').evaluate((table) =>
    [...table.querySelectorAll('tbody tr')].map((tr) => tr.cells[8].textContent),
  );
  assert.ok(errors.length >= 150, `${errors.length} figures`);
  for (const error of errors) {
    assert.match(error, /^[+-]\d+\.\d%$/);
  }
  // Every figure is within ±25% (core's tolerance; ±30% for batched rows, which all land
  // within ±25% too).
  const outside = errors.filter((e) => Math.abs(parseFloat(e)) > 25);
  assert.deepEqual(outside, []);
  // Beside it, how far estimates land for a machine the table does not hold.
  const hint = await calculator.page.locator('p.hint', { hasText: 'without its own row' }).textContent();
  assert.match(hint, /without its own row[^:]*: decode \d+ rows, median error [\d.]+%, worst [\d.]+%/);
  assert.equal(await calculator.has('hardware-table'), true);
  assert.equal(await calculator.has('local-model-table'), true);
});
