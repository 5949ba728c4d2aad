// A real llama.cpp server (ggml-org's llama-server) with the suite's tiny random-weight model,
// started by a test file on 127.0.0.1 and stopped after it, like support/fake-llm-process.js
// does for the fake server.
//
// `cargo xtask test` builds the server and writes the model once per machine (see
// xtask/src/llama.rs) and passes their paths in CROSSOVER_LLAMA_SERVER and
// CROSSOVER_LLAMA_MODEL; `cargo xtask llama-server` prints both, for running a test file by
// hand.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** How long the server may take to load the model and listen. */
const START_MS = 30_000;

/**
 * The path in the environment variable `name`, which must name an existing file.
 *
 * @param {string} name
 * @returns {string}
 */
function requiredFile(name) {
  const path = process.env[name];
  if (!path) {
    throw new Error(
      `${name} is not set: run the suite with \`cargo xtask test\`, or set ` +
        'CROSSOVER_LLAMA_SERVER and CROSSOVER_LLAMA_MODEL to what ' +
        '`cargo xtask llama-server` prints',
    );
  }
  if (!existsSync(path)) {
    throw new Error(`${name} names ${path}, which does not exist`);
  }
  return path;
}

/**
 * Starts llama-server on a free port of 127.0.0.1 with the model, `key` required on every
 * API request, its Prometheus metrics on, `slots` parallel slots sharing a 4,096-token
 * context, and one thread (the page under test needs the other core).
 *
 * @param {{key: string, slots?: number}} options
 * @returns {Promise<{url: string, metrics: () => Promise<Map<string, number>>,
 *   busySlots: () => Promise<number>, close: () => Promise<void>}>} `url` ends with `/`;
 *   `metrics()` resolves to the server's counters and gauges by name (see
 *   {@link parseMetrics}); `busySlots()` to how many slots are answering a request now
 */
export async function startLlamaServer({ key, slots = 8 }) {
  const server = requiredFile('CROSSOVER_LLAMA_SERVER');
  const model = requiredFile('CROSSOVER_LLAMA_MODEL');
  const args = ['-m', model, '--host', '127.0.0.1', '--port', '0', '--api-key', key];
  args.push('--metrics', '-c', '4096', '-np', String(slots), '-t', '1', '--no-webui');
  const child = spawn(server, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // The test's process is gone: so is its server.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let log = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail('did not listen'), START_MS);
    function fail(why) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`llama-server ${why}; its log:\n${log}`));
    }
    const read = (chunk) => {
      log += chunk;
      // It logs `listening on http://127.0.0.1:PORT` once the model is loaded.
      const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (listening) {
        clearTimeout(timer);
        resolve(`${listening[1]}/`);
      }
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    child.once('error', (error) => fail(`could not start (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code})`));
  });
  const get = async (path) => {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    if (!response.ok) {
      throw new Error(`GET /${path} answered ${response.status}`);
    }
    return response.text();
  };
  return {
    url,
    metrics: async () => parseMetrics(await get('metrics')),
    busySlots: async () =>
      JSON.parse(await get('slots')).filter((slot) => slot.is_processing).length,
    async close() {
      process.off('exit', kill);
      child.kill('SIGTERM');
      const timer = setTimeout(kill, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The samples of a Prometheus text exposition, by metric name (`llamacpp:tokens_predicted_total`
 * and so on): comment lines skipped; llama-server's metrics have no labels.
 *
 * @param {string} text
 * @returns {Map<string, number>}
 */
export function parseMetrics(text) {
  const samples = new Map();
  for (const line of text.split('\n')) {
    const sample = /^([a-zA-Z_:][\w:]*)\s+(\S+)$/.exec(line.trim());
    if (sample) {
      samples.set(sample[1], Number(sample[2]));
    }
  }
  return samples;
}
