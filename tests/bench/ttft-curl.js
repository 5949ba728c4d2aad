// The time to first token of the fake LLM server (support/fake-llm.js) as curl sees it: curl's
// time_starttransfer (request sent to first response byte, which the fake holds back until
// the first token is due), the reference a browser's own time to first token is compared with.
// Run as a script it starts the fake server, streams an Ollama chat from it with curl after one
// warm-up and prints the median, minimum and maximum and their offset from the scheduled ttft:
//
//   node tests/bench/ttft-curl.js [--ttft 300] [--runs 20]

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { startFakeLlm } from '../support/fake-llm.js';

const CURL = '/usr/bin/curl';
const run = promisify(execFile);

/** A small Ollama chat request body, as the page sends it. */
export const OLLAMA_CHAT_BODY = JSON.stringify({
  model: 'llama3.1:8b',
  messages: [{ role: 'user', content: 'Say hello in five words' }],
  stream: true,
});

/**
 * POSTs `body` to `url` with curl `runs` times in a row, after `warmup` runs that are not
 * counted, each time reading the whole response, and returns curl's time_starttransfer of
 * each counted run in ms. A fresh curl process (and connection) per run, as a page's first
 * request has.
 *
 * @param {{url: string, body: string, runs?: number, warmup?: number, headers?: string[]}} options
 *   `headers` are extra `Name: value` request headers
 * @returns {Promise<number[]>}
 */
export async function curlTtft({ url, body, runs = 20, warmup = 1, headers = [] }) {
  const args = ['-s', '-o', '/dev/null', '-w', '%{time_starttransfer}', '-X', 'POST'];
  for (const header of headers) args.push('-H', header);
  args.push('--data', body, url);
  const figures = [];
  for (let i = 0; i < warmup + runs; i++) {
    const { stdout } = await run(CURL, args);
    const seconds = Number(stdout.trim());
    if (!Number.isFinite(seconds)) throw new Error(`curl printed ${JSON.stringify(stdout)}`);
    if (i >= warmup) figures.push(seconds * 1000);
  }
  return figures;
}

/** The median of `values`. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main() {
  const { values } = parseArgs({
    options: {
      ttft: { type: 'string', default: '300' },
      runs: { type: 'string', default: '20' },
    },
  });
  const ttft = Number(values.ttft);
  const runs = Number(values.runs);
  if (!(ttft >= 0) || !(runs >= 1)) throw new Error('--ttft wants a number >= 0, --runs >= 1');
  const llm = await startFakeLlm();
  try {
    const url = `${llm.url}ttft=${ttft}/api/chat`;
    const figures = await curlTtft({ url, body: OLLAMA_CHAT_BODY, runs });
    // The server's own view: from the request's arrival to its first write.
    const server = llm.requests.slice(-runs).map((r) => r.firstByteAt - r.arrivedAt);
    const line = (label, list) => {
      const p50 = median(list);
      const [min, max] = [Math.min(...list), Math.max(...list)];
      const offset = (ms) => `${ms - ttft >= 0 ? '+' : ''}${(ms - ttft).toFixed(2)}`;
      return (
        `${label}: p50 ${p50.toFixed(2)} ms (${offset(p50)}), ` +
        `min ${min.toFixed(2)} ms (${offset(min)}), max ${max.toFixed(2)} ms (${offset(max)})`
      );
    };
    console.log(`ttft=${ttft} ms, ${runs} runs after 1 warm-up, ${url}`);
    console.log(line('curl time_starttransfer', figures));
    console.log(line('server first write     ', server));
  } finally {
    await llm.close();
  }
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  await main();
}
