// The fake LLM server of fake-llm.js in a process of its own, for the timing and load tests.
// The test's own process also drives the browser, and a burst of browser events there must
// not delay the server's answers (the accuracy test). And on a machine with few cores the
// server's own work must not take the CPU from the page under test (the load test: TLS and
// HTTP/2 framing for thousands of writes a second), so the server may run at a lower priority:
// a real LLM server does its heavy work on its own hardware, not on the page's CPU. The
// request log comes back by message.

import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startFakeLlm } from './fake-llm.js';

/**
 * Starts the fake LLM server in a child process.
 *
 * @param {{tls?: boolean, nice?: number}} [options] `tls` as for startFakeLlm; `nice`, the
 *   niceness of the thread that serves (0, the default, to 19: lower priority)
 * @returns {Promise<{url: string, requests: () => Promise<object[]>, written: () =>
 *   Promise<number>, now: () => Promise<number>, close: () => Promise<void>}>} `requests()` resolves to the server's
 *   request log as it is now (see fake-llm.js), each stream's `writes` replaced by their
 *   count, `written`; its times are the child's own `performance.now()`, comparable with each
 *   other only. `written()` resolves to the number of writes over all requests so far; `now()`
 *   to the child's `performance.now()`, the clock of the log's times.
 */
export async function startFakeLlmProcess({ tls = false, nice = 0 } = {}) {
  const child = fork(fileURLToPath(import.meta.url), ['serve', JSON.stringify({ tls, nice })], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies = [];
  const failed = new Promise((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fake LLM server exited (${code})`)));
  });
  failed.catch(() => {});
  child.on('message', (message) => replies.shift()?.(message));
  const ask = (what) =>
    Promise.race([
      new Promise((resolve) => {
        replies.push(resolve);
        child.send(what);
      }),
      failed,
    ]);
  const url = await ask('url');
  return {
    url,
    requests: () => ask('requests'),
    written: () => ask('written'),
    now: () => ask('now'),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
    },
  };
}

if (process.argv[2] === 'serve' && process.send) {
  const { tls, nice } = JSON.parse(process.argv[3]);
  // Linux sets the niceness of the calling thread: the one that runs the server.
  if (nice) setPriority(nice);
  const llm = await startFakeLlm({ tls });
  process.on('message', async (what) => {
    if (what === 'url') {
      process.send(llm.url);
    } else if (what === 'requests') {
      process.send(llm.requests.map(({ writes, ...rest }) => ({ ...rest, written: writes.length })));
    } else if (what === 'now') {
      process.send(performance.now());
    } else if (what === 'written') {
      process.send(llm.requests.reduce((n, r) => n + r.writes.length, 0));
    } else if (what === 'close') {
      await llm.close();
      process.exit(0);
    }
  });
  // The test's process is gone: so is its server.
  process.on('disconnect', () => process.exit(0));
}
