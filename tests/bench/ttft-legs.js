// Where a browser's time to first token goes, leg by leg. It starts the fake LLM server
// (support/fake-llm.js, in a process of its own) holding the first token of an Ollama chat for
// --ttft ms, and a headless Chromium page that streams the chat with a bare `fetch` and reads
// the first chunk, --runs times after one warm-up, under Chromium's own trace. The trace's
// network events and two `performance.mark`s around each request split the time from calling
// `fetch` to holding the first chunk into legs; it prints the median of each:
//
//   node tests/bench/ttft-legs.js [--ttft 300] [--runs 20]

import { parseArgs } from 'node:util';
import { launchBrowser } from '../support/browser.js';
import { startFakeLlmProcess } from '../support/fake-llm-process.js';
import { median, OLLAMA_CHAT_BODY } from './ttft-curl.js';

/**
 * Each counted request's legs in ms, from a trace whose marks are `fetch-N` (just before
 * `fetch`) and `first-N` (just after the first chunk was read), N from 0.
 */
function legs(trace, holds) {
  const events = JSON.parse(trace).traceEvents;
  const marks = new Map(
    events.filter((e) => e.cat?.includes('blink.user_timing')).map((e) => [e.name, e.ts]),
  );
  const sent = events.filter((e) => e.name === 'ResourceSendRequest');
  const received = new Map(
    events
      .filter((e) => e.name === 'ResourceReceiveResponse')
      .map((e) => [e.args.data.requestId, e]),
  );
  return sent.map((send, n) => {
    const response = received.get(send.args.data.requestId);
    const timing = response.args.data.timing;
    const start = timing.requestTime * 1e6; // µs, the trace's clock
    const ms = (from, to) => (to - from) / 1000;
    return {
      'fetch() to the loader sending it on': ms(marks.get(`fetch-${n}`), send.ts),
      'to the network service starting it': ms(send.ts, start),
      'to the request written to the socket': timing.sendEnd,
      'the server holding the first token': holds[n],
      'to the network service reading the reply, less the hold':
        timing.receiveHeadersEnd - timing.sendEnd - holds[n],
      'to the page receiving the response': ms(start + timing.receiveHeadersEnd * 1000, response.ts),
      'to the first chunk read in JavaScript': ms(response.ts, marks.get(`first-${n}`)),
      'fetch() to first chunk, as a page measures it': ms(
        marks.get(`fetch-${n}`),
        marks.get(`first-${n}`),
      ),
    };
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      ttft: { type: 'string', default: '300' },
      runs: { type: 'string', default: '20' },
    },
  });
  const runs = Number(values.runs);
  const llm = await startFakeLlmProcess();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    // A page of the server's own origin, so that the chat needs no CORS.
    await page.goto(`${llm.url}api/version`);
    const url = `${llm.url}ttft=${values.ttft}/itl=10/tokens=20/api/chat`;
    const stream = (marked) =>
      page.evaluate(
        async ([url, body, runs, marked]) => {
          for (let i = 0; i < runs; i++) {
            if (marked) performance.mark(`fetch-${i}`);
            const response = await fetch(url, { method: 'POST', body });
            const reader = response.body.getReader();
            await reader.read();
            if (marked) performance.mark(`first-${i}`);
            while (!(await reader.read()).done) {}
          }
        },
        [url, OLLAMA_CHAT_BODY, marked ? runs : 1, marked],
      );
    await stream(false);
    await browser.startTracing(page, { categories: ['devtools.timeline', 'blink.user_timing'] });
    await stream(true);
    const trace = (await browser.stopTracing()).toString('utf8');
    const holds = (await llm.requests())
      .filter((r) => r.method === 'POST')
      .slice(1)
      .map((r) => r.firstByteAt - r.arrivedAt);
    const rows = legs(trace, holds);
    console.log(`time to first token in Chromium, ttft=${values.ttft} ms, median of ${runs} runs:`);
    for (const leg of Object.keys(rows[0])) {
      console.log(`  ${leg.padEnd(58)} ${median(rows.map((r) => r[leg])).toFixed(2)} ms`);
    }
  } finally {
    await browser.close();
    await llm.close();
  }
}

await main();
