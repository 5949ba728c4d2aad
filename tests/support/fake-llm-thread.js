// The fake LLM server of fake-llm.js in a worker thread of its own, for the timing tests: the
// test's own thread also drives the browser, and a burst of browser events there must not
// delay the server's answer. The request log comes back by message.

import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { startFakeLlm } from './fake-llm.js';

/**
 * Starts the fake LLM server in a worker thread.
 *
 * @returns {Promise<{url: string, requests: () => Promise<object[]>, close: () => Promise<void>}>}
 *   `requests()` resolves to the server's request log as it is now (see fake-llm.js); its
 *   times are the worker's own `performance.now()`, comparable with each other only
 */
export async function startFakeLlmThread() {
  const worker = new Worker(new URL(import.meta.url));
  const replies = [];
  worker.on('message', (message) => replies.shift()?.(message));
  const ask = (what) =>
    new Promise((resolve, reject) => {
      replies.push(resolve);
      worker.once('error', reject);
      worker.postMessage(what);
    });
  const url = await ask('url');
  return {
    url,
    requests: () => ask('requests'),
    close: async () => {
      await ask('close');
      await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort) {
  const llm = await startFakeLlm();
  parentPort.on('message', async (what) => {
    if (what === 'url') {
      parentPort.postMessage(llm.url);
    } else if (what === 'requests') {
      parentPort.postMessage(llm.requests.map(({ writes, ...rest }) => rest));
    } else if (what === 'close') {
      await llm.close();
      parentPort.postMessage('closed');
    }
  });
}
