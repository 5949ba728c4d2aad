// "Import a run" in the measurement panel: the result files of vllm bench serve (a sweep, one
// file per concurrency), genai-perf and llama-bench become a table, a foreign file is refused
// with what was expected, and "Use these numbers" writes the run's figures into the scenario,
// whose headline figures then equal core's. The fixtures are core's
// (core/tests/fixtures/imports/, sources in their README).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { siteUrl, useBrowser } from './support/browser.js';
import { coreReport } from './support/core.js';
import { assertHeadlineMatches } from './support/figures.js';
import { MeasurePage } from './pages/measure.js';

const session = useBrowser();

const fixture = (name) =>
  fileURLToPath(new URL(`../core/tests/fixtures/imports/${name}`, import.meta.url));

/** The measurement panel, open, on the default scenario. */
async function panel(t) {
  const page = await MeasurePage.launch(session.browser());
  t.after(() => page.close());
  await page.open(siteUrl('v=1'));
  await page.openPanel();
  return page;
}

test('a vllm bench serve sweep, one file per concurrency, becomes the scenario\'s figures', async (t) => {
  const page = await panel(t);
  await page.hook('import-file').setInputFiles(
    ['vllm_bench_serve_c16.json', 'vllm_bench_serve_c1.json', 'vllm_bench_serve_c4.json'].map(fixture),
  );
  await page.hook('import-table').waitFor();
  assert.equal(
    await page.text('import-status'),
    '3 load steps from vllm bench serve (Qwen/Qwen2.5-7B-Instruct)',
  );
  const rows = await page.tableLines('import-table');
  // Sorted by requests in flight; each stream's speed is 1000 / mean TPOT (1000 / 7.0528 ms).
  assert.deepEqual(rows.map((r) => r.split(' | ').slice(0, 3).join(' | ')), [
    '1 | 139.3 | 141.8',
    '4 | 501.6 | 132.7',
    '16 | 1,586.9 | 104.9',
  ]);
  await page.hook('import-adopt').click();
  const search = await page.waitForSearch(/[?&]agg=/);
  const query = new URLSearchParams(search);
  assert.deepEqual(
    [query.get('agg'), query.get('tps'), query.get('lttft')],
    ['139.3@1,501.6@4,1586.9@16', '141.8', '22.2'],
    'every step\'s output (the measured curve), and the one-stream step\'s decode speed and first token',
  );
  assert.match(await page.text('import-adopted'), /^Wrote tps=141\.8, lttft=22\.2, agg=139\.3@1,501\.6@4,1586\.9@16 into the scenario\. Sizing now follows the measured curve through 3 points/);
  assertHeadlineMatches(await page.figures(), await coreReport(search), search);
});

test('genai-perf and llama-bench exports pasted; a foreign file is refused and changes nothing', async (t) => {
  const page = await panel(t);
  const paste = async (text) => {
    await page.hook('import-paste').fill(text);
    await page.hook('import-read').click();
  };
  await paste(readFileSync(fixture('genai_perf_profile_export.json'), 'utf8'));
  assert.equal(await page.text('import-status'), '1 load step from genai-perf (Qwen/Qwen2.5-7B-Instruct)');
  assert.match((await page.tableLines('import-table'))[0], /^8 \| 902\.4 \| /);

  await paste('{"model": "not a benchmark"}');
  assert.match(await page.text('import-status'), /^not a result file this page reads: expected the JSON of vllm bench serve/);
  assert.equal(await page.has('import-table'), false, 'the refused file shows no table');

  await paste(readFileSync(fixture('llama_bench.jsonl'), 'utf8'));
  assert.equal(await page.text('import-status'), '4 tests from llama-bench');
  const tests = await page.tableLines('import-table');
  assert.equal(tests[1], 'tg128 | qwen2 7B Q4_K - Medium | NVIDIA GeForce RTX 4090 | 151.0 ± 0.2');
  await page.hook('import-adopt').click();
  const search = await page.waitForSearch(/[?&]ptps=/);
  const query = new URLSearchParams(search);
  // A link writes one decimal, a trailing .0 dropped.
  assert.deepEqual([query.get('tps'), query.get('ptps')], ['151', '12504.5'], 'tg128 and pp512');
  assertHeadlineMatches(await page.figures(), await coreReport(search), search);
});
