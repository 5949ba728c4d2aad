// The concurrency sweep against the fake LLM server, whose delays grow with the load the way a
// batching server's do: each request's time to first token is 60 ms + 20 ms and its gap
// between tokens 8 ms + 2 ms for every other stream open when it arrives (knobs ttftc, itlc).
// The server logs what it planned for each request and when it wrote, so every figure of every
// step is checked against the server's own timings: time per output token and inter-token
// latency within 2 ms of the gap the server kept; output tokens/s within 2% of the server's
// tokens over its own wall time of the step; time to first token never under the server's and
// over it by no more than the browser's floor (the request and the response crossing loopback
// under TLS, and the page’s turn to read: 5 to 7 ms at every step on this machine, at most 20 ms
// allowed; printed on the `sweep:` lines, and in BENCHMARKS.md). The scenario's latency
// targets (TTFT 150 ms, TPOT 16 ms) hold up to 4 in flight, not at 8. The server speaks HTTP/2
// over HTTPS, so the browser opens every stream of a step at once. A second test stalls every
// stream: each step stops at its time limit (slim=5) and counts its requests as failed by it. A
// third runs a depth sweep (128 to 2,048 tokens) against a server that prefills 20,000 tok/s.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { siteUrl, useBrowser } from './support/browser.js';
import { coreReport } from './support/core.js';
import { assertHeadlineMatches } from './support/figures.js';
import { MeasurePage } from './pages/measure.js';

const session = useBrowser();
const TOKENS = 30;
const PER_STEP = 8;
const LADDER = [1, 2, 4, 8];
/** The most the page's TTFT may exceed the server's: the browser's floor and then some. */
const MAX_FLOOR_MS = 20;

/** The median of `values`. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
}

/** The number in a cell such as `1,234.5` or `61.2 ms`. */
function figure(text) {
  return Number(text.replace(/,/g, '').replace(/ ms$/, ''));
}

test('every step of a sweep matches the server’s own timings, and the targets hold up to 4', async (t) => {
  const { page, llm } = await MeasurePage.withFakeServer(t, session.browser(), { tls: true });
  const endpoint = `${llm.url}ttft=60/ttftc=20/itl=8/itlc=2/tokens=${TOKENS}`;
  const setup = `maxt=${TOKENS}&smax=8&sreq=${PER_STEP}`;
  const targets = 'slo_ttft=150&slo_tpot=16';
  await page.open(siteUrl(`v=1&${targets}&lurl=${encodeURIComponent(endpoint)}&${setup}`));
  await page.waitForPanel();
  assert.equal(
    await page.runSweep({ timeout: 60_000 }),
    `${PER_STEP * LADDER.length + 1} of ${PER_STEP * LADDER.length + 1} requests`,
    'the warm-up request and every step\'s',
  );

  const lines = await page.sweepLines('local');
  const rows = lines.map((line) => line.split(' | '));
  assert.deepEqual(
    rows.map((r) => [r[0], r.at(-1)]),
    LADDER.map((c) => [String(c), '0']),
    'one row per step, none failed',
  );

  // The server's requests in the order they arrived, after the warm-up (which also opened the
  // connection), PER_STEP to a step.
  const streams = (await llm.requests())
    .filter((r) => r.api === 'api/chat')
    .sort((a, b) => a.arrivedAt - b.arrivedAt)
    .slice(1);
  assert.equal(streams.length, PER_STEP * LADDER.length);
  const steps = LADDER.map((c, k) => ({ c, requests: streams.slice(k * PER_STEP, (k + 1) * PER_STEP) }));
  for (const { c, requests } of steps) {
    assert.ok(Math.max(...requests.map((r) => r.open)) <= c, `step ${c}: at most ${c} open at once`);
  }

  const serverTtft = (r) => r.firstByteAt - r.arrivedAt;
  for (const [k, { c, requests }] of steps.entries()) {
    const row = rows[k];
    const [ttftP50] = row[4].split(' / ').map(figure);
    const [tpotP50] = row[5].split(' / ').map(figure);
    const [itlP50] = row[6].split(' / ').map(figure);
    const gap = median(requests.map((r) => r.plannedItl));
    const ttft = median(requests.map(serverTtft));
    const start = Math.min(...requests.map((r) => r.arrivedAt));
    const end = Math.max(...requests.map((r) => r.finishedAt));
    const serverTps = (TOKENS * PER_STEP) / ((end - start) / 1000);
    const pageTps = figure(row[1]);
    // How much later than the server's first write the page saw the first token.
    const floor = ttftP50 - ttft;
    t.diagnostic(
      `sweep: ${c} in flight: TTFT ${ttftP50} ms (server ${ttft.toFixed(1)} + floor ${floor.toFixed(1)}), ` +
        `TPOT ${tpotP50} / ITL ${itlP50} ms (server gap ${gap}), ${pageTps} tok/s (server ` +
        `${serverTps.toFixed(1)})`,
    );
    assert.ok(Math.abs(tpotP50 - gap) <= 2, `step ${c}: TPOT p50 ${tpotP50} ms, server gap ${gap} ms`);
    assert.ok(Math.abs(itlP50 - gap) <= 2, `step ${c}: ITL p50 ${itlP50} ms, server gap ${gap} ms`);
    assert.ok(
      floor >= 0 && floor <= MAX_FLOOR_MS,
      `step ${c}: TTFT p50 ${ttftP50} ms, the server's ${ttft.toFixed(1)} ms`,
    );
    assert.ok(
      Math.abs(pageTps / serverTps - 1) <= 0.02,
      `step ${c}: ${pageTps} tok/s against the server's ${serverTps.toFixed(1)}`,
    );
  }

  // The load slows each stream: its speed falls and the total rises from step to step.
  const each = rows.map((r) => figure(r[2]));
  const total = rows.map((r) => figure(r[1]));
  assert.deepEqual([...each].sort((a, b) => b - a), each, `each stream slows: ${each}`);
  assert.deepEqual([...total].sort((a, b) => a - b), total, `the total grows: ${total}`);

  assert.equal(
    await page.text('sweep-local-verdict'),
    'Up to 4 requests in flight, 95% of requests or more met the targets (TTFT ≤ 150 ms and TPOT ≤ 16 ms).',
  );
  const marked = await page.hook('sweep-local-table').evaluate((table) =>
    [...table.querySelectorAll('tbody tr')].map((tr) => tr.classList.contains('chosen')),
  );
  assert.deepEqual(marked, [false, false, true, false], 'the row of 4 in flight is marked');
  const readouts = await page.hook('sweep-local-chart-tradeoff').evaluate(
    (svg) => svg.closest('figure, div').querySelectorAll('table tbody tr').length,
  );
  assert.equal(readouts, LADDER.length, 'the trade-off chart has a point per step');

  // "Use these numbers" writes every step's output (the measured curve) and the one-stream
  // speeds, and the calculator's sizing now passes through the curve.
  await page.adopt();
  const search = await page.waitForSearch(/[?&]agg=/);
  const query = new URLSearchParams(search);
  assert.equal(
    query.get('agg'),
    // The link writes each rate to 0.1 tok/s in its shortest form (226, not 226.0).
    LADDER.map((c, k) => `${Number(figure(rows[k][1]).toFixed(1))}@${c}`).join(','),
  );
  assert.equal(Number(query.get('tps')), figure(rows[0][2]));
  const report = await coreReport(search);
  assert.equal(report.speed.decode_source, 'measured');
  assertHeadlineMatches(await page.figures(), report, search);
});

test('a step that runs past its time limit is stopped, its requests counted as failed by that', async (t) => {
  const { page, llm } = await MeasurePage.withFakeServer(t, session.browser(), { tls: true });
  // Every stream stalls after 3 tokens; each step stops at its 5 s limit.
  const endpoint = `${llm.url}fault=stall`;
  const setup = 'smax=2&sreq=1&slim=5&warm=0';
  await page.open(siteUrl(`v=1&lurl=${encodeURIComponent(endpoint)}&${setup}`));
  await page.waitForPanel();
  const started = Date.now();
  assert.equal(await page.runSweep({ timeout: 30_000 }), '3 of 3 requests');
  const took = (Date.now() - started) / 1000;
  assert.ok(took >= 10 && took < 20, `two steps of 5 s took ${took.toFixed(1)} s`);
  const rows = (await page.sweepLines('local')).map((line) => line.split(' | '));
  assert.deepEqual(
    rows.map((r) => [r[0], r.at(-1)]),
    [
      ['1', '1: step time limit 1'],
      ['2', '2: step time limit 2'],
    ],
  );
  const streams = (await llm.requests()).filter((r) => r.api === 'api/chat');
  assert.equal(streams.length, 3);
  assert.ok(streams.every((r) => r.aborted), 'the limit closed every stalled stream');
});

test('a depth sweep reads each depth’s prefill from the server’s own timing, with prompts no cache can serve', async (t) => {
  const { page, llm } = await MeasurePage.withFakeServer(t, session.browser());
  // The server prefills 20,000 tokens/s (and says so in prompt_eval_duration) and decodes a
  // token every 2 ms.
  const endpoint = `${llm.url}prefill=20000/ttft=20/itl=2/tokens=16`;
  const setup = 'dmax=2048&maxt=16&warm=0';
  await page.open(siteUrl(`v=1&in=1000&out=200&lurl=${encodeURIComponent(endpoint)}&${setup}`));
  await page.waitForPanel();
  await page.hook('measure-depth').click();
  assert.equal(await page.waitForDone(), '5 of 5 requests');
  const depths = [128, 256, 512, 1024, 2048];
  const rows = (await page.tableLines('depth-local-table')).map((line) => line.split(' | '));
  // The fake server counts a prompt's words plus 10: depth − 16 words, the question's 11.
  assert.deepEqual(
    rows.map((r) => [r[0], r[1], r[3]]),
    depths.map((d) => [d.toLocaleString('en-US'), (d + 5).toLocaleString('en-US'), '20,000.0']),
  );
  assert.equal(
    (await page.hook('depth-local-notes').locator('li').first().textContent()).trim(),
    "prefill is the server's own prompt timing at every depth",
  );
  // TTFT holds the prompt's time: 20 ms + 2,053 / 20,000 s at the deepest.
  const deepest = figure(rows[4][2]);
  assert.ok(deepest >= 20 + 102.65 && deepest <= 20 + 102.65 + 30, `TTFT ${deepest} ms at 2,048`);

  const chats = (await llm.requests()).filter((r) => r.api === 'api/chat').map((r) => JSON.parse(r.body));
  assert.deepEqual(
    chats.map((b) => b.options.num_ctx),
    depths.map((d) => d + 16 + 64),
    'Ollama is told the context each depth needs',
  );
  const texts = chats.map((b) => b.messages[0].content);
  const lead = (text) => text.split(' ').slice(0, 8).join(' ');
  assert.equal(new Set(texts.map(lead)).size, texts.length, 'every prompt starts differently');

  // "Use these numbers": prefill at the scenario's 1,000-token prompt, decode at its mean
  // decode depth of 1,100 tokens, between the measured depths.
  await page.adopt();
  const query = new URLSearchParams(await page.waitForSearch(/[?&]ptps=/));
  assert.equal(query.get('ptps'), '20000');
  const decode = rows.map((r) => [Number(r[1].replace(/,/g, '')), figure(r[4])]);
  const [[x0, y0], [x1, y1]] = [decode[3], decode[4]];
  const expected = y0 + ((1100 - x0) / (x1 - x0)) * (y1 - y0);
  assert.ok(
    Math.abs(Number(query.get('tps')) - expected) <= 0.1,
    `tps=${query.get('tps')} against ${expected.toFixed(2)} read between the depths`,
  );
});
