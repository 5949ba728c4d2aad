// The measurement panel against a real llama.cpp server (support/llama-server.js: ggml-org's
// llama-server with a tiny random-weight model, built once per machine by `cargo xtask test`),
// started for this file on 127.0.0.1 with an API key, its metrics and 8 parallel slots.
// Through the OpenAI-compatible API and the Anthropic API, with the key typed into the page:
// a series completes, the output tokens the page reports are the server's own count (its
// `/metrics` counters before and after, and each response's `usage`), and over the
// OpenAI-compatible API the decode and prompt speeds are the server's own `timings`, to the
// digit. A throughput test at concurrency 8 completes with no failures and the server counts
// every token (over plain http:// the browser holds it to 6 at once). A concurrency sweep of
// 1, 2, 4 and 8 through an HTTP/2 front (support/h2-front.js) reaches 8 at once at the server,
// every step whole, its TPOT the server's own time per token. A wrong key gets the page's 401 diagnosis, and the key shows nowhere.
//
// The model's every token is one printable ASCII character and it never ends an answer by
// itself (see support/tiny_gguf.py): every answer is exactly `maxt` tokens and characters.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { siteUrl, useBrowser } from './support/browser.js';
import { startHttp2Front } from './support/h2-front.js';
import { startLlamaServer } from './support/llama-server.js';
import { amount, MeasurePage } from './pages/measure.js';

const session = useBrowser();

/** The key the server requires (`--api-key`): a test value, not a secret. */
const KEY = 'test-key-123';
/** Tokens per answer. */
const MAX_TOKENS = 64;
/** Runs in a series (no warm-up, so the server's counters see exactly these). */
const RUNS = 3;
/**
 * How far a sweep step's TPOT on the page's clock may be from the server's own time per
 * token (or 20% of it, if more): the stream's way through the front and the browser.
 */
const TPOT_SLACK_MS = 2;

/** A link value, escaped. */
const q = encodeURIComponent;

/** @type {Awaited<ReturnType<typeof startLlamaServer>>} */
let llama;
before(async () => {
  llama = await startLlamaServer({ key: KEY, slots: 8 });
});
after(async () => {
  await llama?.close();
});

/** The two APIs the server speaks that the panel speaks too, and where each starts. */
const APIS = [
  {
    api: 'openai',
    label: 'OpenAI-compatible',
    endpoint: (url) => `${url}v1`,
    path: '/v1/chat/completions',
  },
  {
    api: 'anthropic',
    label: 'Anthropic',
    endpoint: (url) => url.replace(/\/$/, ''),
    path: '/v1/messages',
  },
];

/**
 * Opens the page with the local side on the server through `api`, `extra` link keys after,
 * the cloud side off and `key` typed into the key field; records the responses to the chat
 * requests. After the test, closes the page (checking its console).
 */
async function panel(t, api, extra, key = KEY, { url = llama.url, context = {} } = {}) {
  const page = await MeasurePage.launch(session.browser(), undefined, context);
  t.after(() => page.close());
  const responses = [];
  page.page.on('response', (response) => {
    if (response.request().method() === 'POST' && new URL(response.url()).pathname === api.path) {
      responses.push(response);
    }
  });
  const endpoint = q(api.endpoint(url));
  const link = `v=1&lapi=${api.api}&lurl=${endpoint}&lmod=tiny&maxt=${MAX_TOKENS}&${extra}`;
  await page.open(siteUrl(link));
  await page.waitForPanel();
  await page.enable('cloud', false);
  await page.setKey('local', key);
  return { page, responses };
}

/**
 * The JSON objects of a server-sent event stream's `data:` lines, in order (`[DONE]` left
 * out).
 */
function events(body) {
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice('data: '.length)));
}

/**
 * What the server said about one streamed answer: its output and prompt token counts, and for
 * the OpenAI-compatible API its own `timings` (null for the Anthropic API, which has none).
 */
function served(api, body) {
  const all = events(body);
  if (api.api === 'openai') {
    const last = all.findLast((event) => event.usage);
    return {
      output: last.usage.completion_tokens,
      prompt: last.usage.prompt_tokens,
      timings: last.timings,
    };
  }
  const start = all.find((event) => event.type === 'message_start').message.usage;
  const delta = all.findLast((event) => event.type === 'message_delta').usage;
  return {
    output: delta.output_tokens,
    prompt: start.input_tokens + (start.cache_read_input_tokens ?? 0),
    timings: null,
  };
}

/** The rows of the runs CSV the panel downloads, each as `{column: text}`. */
async function runsCsv(page) {
  const { text } = await page.download('measure-runs-csv');
  const [head, ...rows] = text.trim().split('\n');
  const columns = head.split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((cell, i) => [columns[i], cell])));
}

/** How much each of the server's counters grew between two readings of /metrics. */
const growth = (before, after, name) => {
  assert.ok(after.has(name), `the server reports ${name}`);
  return after.get(name) - before.get(name);
};

/** The median of `values` (the middle one of an odd count). */
const median = (values) => [...values].sort((a, b) => a - b)[(values.length - 1) / 2];

/** The median of `values`, the mean of the middle two of an even count. */
const middle = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
};

for (const api of APIS) {
  test(`${api.label} API: token counts are the server's, speeds its own timings`, async (t) => {
    const { page, responses } = await panel(t, api, `runs=${RUNS}&warm=0`);
    const before = await llama.metrics();
    assert.equal(await page.run(), `${RUNS} of ${RUNS} requests`);
    const after = await llama.metrics();
    assert.equal(await page.problem('local'), null, 'no problem');
    const answer = await page.answer('local');
    assert.match(answer, /^[\x20-\x7e]+$/, 'the answer is the model’s printable characters');
    assert.equal(answer.length, MAX_TOKENS, `one character a token: ${JSON.stringify(answer)}`);

    // The series: every run the server's count, not chunks counted.
    const series = await page.series('local');
    assert.equal(series['measure-tokens'].runs, String(RUNS));
    for (const column of ['min', 'p50', 'p95', 'max', 'mean']) {
      assert.equal(series['measure-tokens'][column], `${MAX_TOKENS} tokens`, `tokens ${column}`);
    }

    // What the server counted over the series, and what it said in each answer.
    assert.equal(responses.length, RUNS, 'one chat request a run');
    const answers = await Promise.all(responses.map(async (r) => served(api, await r.text())));
    const rows = await runsCsv(page);
    assert.equal(rows.length, RUNS);
    const predicted = growth(before, after, 'llamacpp:tokens_predicted_total');
    const prompted =
      growth(before, after, 'llamacpp:prompt_tokens_total') +
      growth(before, after, 'llamacpp:prompt_tokens_cached_total');
    assert.equal(predicted, RUNS * MAX_TOKENS, 'the server generated maxt tokens a run');
    assert.equal(
      rows.reduce((sum, row) => sum + Number(row.output_tokens), 0),
      predicted,
      'the page’s output tokens add up to the server’s tokens_predicted_total',
    );
    assert.equal(
      answers.reduce((sum, a) => sum + a.prompt, 0),
      prompted,
      'each answer’s prompt tokens add up to the server’s processed and cached prompt tokens',
    );
    rows.forEach((row, i) => {
      const run = `run ${i + 1}`;
      assert.equal(Number(row.output_tokens), answers[i].output, `${run}: the server’s count`);
      assert.equal(row.tokens_counted, 'false', `${run}: not counted chunks`);
    });

    const decode = series['measure-decode'] ? amount(series['measure-decode'].p50) : null;
    if (api.api === 'openai') {
      // llama.cpp's timings: predicted_n tokens in predicted_ms, prompt_n (the prompt tokens
      // not served from its cache) in prompt_ms. The CSV has each run's speed to 3 decimals.
      const timed = answers.map(({ timings }) => ({
        decode: (timings.predicted_n / timings.predicted_ms) * 1000,
        prompt: (timings.prompt_n / timings.prompt_ms) * 1000,
      }));
      rows.forEach((row, i) => {
        const close = (shown, expected, what) =>
          assert.ok(
            Math.abs(Number(shown) - expected) <= 0.0005 + 1e-9 * expected,
            `run ${i + 1}: ${what} ${shown} tok/s is the server’s ${expected.toFixed(4)}`,
          );
        close(row.decode_tps, timed[i].decode, 'decode speed');
        close(row.prompt_tps, timed[i].prompt, 'prompt speed');
      });
      const expected = median(timed.map((s) => s.decode));
      assert.ok(
        Math.abs(decode - expected) <= 0.05,
        `the decode speed shown, ${series['measure-decode'].p50}, is the median of the server's ` +
          `timings, ${expected.toFixed(2)} tok/s`,
      );
      assert.ok(series['measure-prompt'], 'a prompt speed, from the server’s timings');
    } else {
      // llama-server's Anthropic stream carries no timings: the page times the tokens itself
      // where they arrived over 20 ms or more, and says which runs came faster than that (this
      // model's 64 tokens take the server about 11 ms, so most do).
      const untimed = rows.filter((row) => row.decode_tps === '').length;
      const notes = await page.hook('measure-local-notes').locator('li').allTextContents();
      if (untimed > 0) {
        const said = `${untimed} of ${RUNS} runs gave no decode speed`;
        assert.ok(notes.some((note) => note.startsWith(said)), `${said}: ${notes.join('; ')}`);
      }
      if (untimed < RUNS) {
        assert.ok(decode > 0, `a decode speed from the timed runs: ${decode}`);
      }
      assert.equal(series['measure-prompt'], undefined, 'no prompt speed without the server’s');
    }
    const shown = rows.map((row) => row.output_tokens).join('+');
    t.diagnostic(
      `llama-server ${api.label}: ${RUNS} runs, ${predicted} output tokens (page ${shown}), ` +
        `${prompted} prompt tokens, decode p50 ${series['measure-decode']?.p50 ?? 'none'}, time to first ` +
        `token p50 ${series['measure-ttft'].p50}`,
    );
  });
}

/**
 * Polls the server's busy slots every 5 ms until the returned `stop()`, which resolves to the
 * most seen at once.
 */
function pollBusySlots() {
  let most = 0;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      most = Math.max(most, await llama.busySlots());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return async () => {
    polling = false;
    await poll;
    return most;
  };
}

test('a throughput test at concurrency 8 completes with no failures', async (t) => {
  const requests = 16;
  const api = APIS[0];
  const { page, responses } = await panel(t, api, `reqs=${requests}&conc=8`);
  const before = await llama.metrics();
  // The requests the server answered at once, as it saw them: its busy slots, polled.
  const stop = pollBusySlots();
  let most;
  try {
    assert.equal(
      await page.runThroughput({ timeout: 60_000 }),
      `${requests} of ${requests} requests`,
    );
  } finally {
    most = await stop();
  }
  const after = await llama.metrics();
  const figures = await page.throughput('local');
  assert.equal(figures['tp-requests'], `${requests} completed of ${requests} at concurrency 8`);
  assert.equal(figures['tp-errors'], 'none');
  assert.equal(await page.problem('local'), null, 'no problem');
  assert.ok(amount(figures['tp-tps']) > 0, `output tokens per second: ${figures['tp-tps']}`);
  assert.equal(responses.length, requests);
  assert.equal(
    growth(before, after, 'llamacpp:tokens_predicted_total'),
    requests * MAX_TOKENS,
    'the server generated every token of every request',
  );
  // Plain http:// is HTTP/1.1, and the browser opens at most 6 connections to one server
  // (llama-server speaks no HTTP/2): the page says so, and the server never had more.
  assert.ok(figures['tp-note'], 'the page notes that http:// held 2 streams back');
  assert.ok(most >= 2, `the server answered requests side by side: at most ${most} at once`);
  assert.ok(most <= 6, `the browser held the rest back: ${most} at once at the server`);
  t.diagnostic(
    `llama-server throughput: ${figures['tp-requests']}, at most ${most} at once at the server, ` +
      `${figures['tp-wall']}, ${figures['tp-tps']}, time to first token ${figures['tp-ttft']}, ` +
      `each stream ${figures['tp-decode']}`,
  );
});

test('a concurrency sweep of 1 to 8 through an HTTP/2 front: every step whole, 8 at once at the server', async (t) => {
  // llama-server speaks HTTP/1.1 only; a TLS front speaking HTTP/2 to the browser lets one
  // page hold 8 streams open at it, as a server behind a TLS proxy would. Answers of 256
  // tokens keep a step's streams open together long enough for the server's slots to show it.
  const front = await startHttp2Front(llama.url);
  t.after(() => front.close());
  const perStep = 8;
  const tokens = 256;
  const ladder = [1, 2, 4, 8];
  const api = APIS[0];
  const setup = `smax=8&sreq=${perStep}&warm=0&maxt=${tokens}`;
  const { page, responses } = await panel(t, api, setup, KEY, {
    url: front.url,
    context: { ignoreHTTPSErrors: true },
  });
  const before = await llama.metrics();
  const stop = pollBusySlots();
  let most;
  try {
    assert.equal(
      await page.runSweep({ timeout: 120_000 }),
      `${perStep * ladder.length} of ${perStep * ladder.length} requests`,
    );
  } finally {
    most = await stop();
  }
  const after = await llama.metrics();
  assert.equal(await page.problem('local'), null, 'no problem');
  const rows = (await page.sweepLines('local')).map((line) => line.split(' | '));
  assert.deepEqual(
    rows.map((r) => [r[0], r.at(-1)]),
    ladder.map((c) => [String(c), '0']),
    'one row per step, none failed',
  );
  assert.equal(
    growth(before, after, 'llamacpp:tokens_predicted_total'),
    perStep * ladder.length * tokens,
    'the server generated every token of every step',
  );

  // The chat requests as the front received them: all over HTTP/2, PER_STEP to a step, never
  // more open than the step's concurrency and, at 8, all 8 at once; the server's slots saw 8.
  const chats = front.received().filter((r) => r.method === 'POST');
  assert.equal(chats.length, perStep * ladder.length);
  assert.deepEqual(new Set(chats.map((r) => r.version)), new Set(['2.0']), 'HTTP/2 throughout');
  for (const [k, c] of ladder.entries()) {
    const open = Math.max(...chats.slice(k * perStep, (k + 1) * perStep).map((r) => r.open));
    assert.equal(open, c, `step ${c}: ${open} open at once at the front`);
  }
  assert.equal(most, 8, 'the server answered 8 requests at once in the last step');

  // Steps run one after another, so the answers arrive step by step. Each step's TPOT p50
  // (the page's clock: (e2e − TTFT) ÷ (tokens − 1)) against the server's own time per token
  // (predicted_ms ÷ predicted_n) over the step's requests.
  assert.equal(responses.length, perStep * ladder.length);
  const timings = await Promise.all(
    responses.map(async (r) => served(api, await r.text()).timings),
  );
  const figure = (text) => Number(text.replace(/,/g, '').replace(/ ms$/, ''));
  for (const [k, c] of ladder.entries()) {
    const step = timings.slice(k * perStep, (k + 1) * perStep);
    const server = middle(step.map((s) => s.predicted_ms / s.predicted_n));
    const [tpot] = rows[k][5].split(' / ').map(figure);
    t.diagnostic(
      `llama-server sweep: ${c} in flight: ${rows[k][1]} tok/s, each stream ${rows[k][2]}, ` +
        `TTFT ${rows[k][4]}, TPOT p50 ${tpot} ms (server ${server.toFixed(2)} ms a token)`,
    );
    assert.ok(
      Math.abs(tpot - server) <= Math.max(TPOT_SLACK_MS, 0.2 * server),
      `step ${c}: TPOT p50 ${tpot} ms against the server's ${server.toFixed(2)} ms a token`,
    );
  }
});

for (const api of APIS) {
  test(`${api.label} API: a wrong key gets the 401 diagnosis and shows nowhere`, async (t) => {
    const wrong = 'wrong-key-456';
    const { page, responses } = await panel(t, api, 'runs=1&warm=0', wrong);
    page.expectFailedRequestsTo(llama.url);
    assert.equal(await page.run(), '1 of 1 requests');
    const problem = await page.problem('local');
    assert.ok(problem, 'a problem is shown');
    assert.equal(problem.kind, 'http 401');
    const origin = new URL(llama.url).origin;
    assert.ok(problem.text.includes(`${origin} refused the key (401)`), problem.text);
    assert.ok(problem.text.includes('Invalid API Key'), `the server’s words: ${problem.text}`);
    const sent = await responses[0].request().allHeaders();
    const header = api.api === 'openai' ? sent.authorization : sent['x-api-key'];
    assert.ok(header?.includes(wrong), 'the key was sent, in its header');
    assert.equal(responses[0].status(), 401);
    assert.ok(!(await page.everythingShown()).includes(wrong), 'it is not in the page or its URL');
    assert.ok(!page.requests.some((url) => url.includes(wrong)), 'nor in any requested URL');
  });
}
