// crossover-core's own answer for a scenario link, from its `evaluate` example: the figures
// the page shows must be these, at the precision the page shows them.
//
// `cargo xtask test` builds the example and passes its path in CROSSOVER_EVALUATE; without it
// the suite runs `cargo run -q -p crossover-core --example evaluate` from the workspace root
// (slower the first time, never stale).

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKSPACE = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the example on `query`; resolves to its exit code, stdout and stderr. */
function run(query) {
  const [program, args] = process.env.CROSSOVER_EVALUATE
    ? [process.env.CROSSOVER_EVALUATE, [query]]
    : ['cargo', ['run', '-q', '-p', 'crossover-core', '--example', 'evaluate', '--', query]];
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { cwd: WORKSPACE, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`cannot run ${program}: ${error.message}`));
          return;
        }
        resolve({ code: error ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/**
 * The report of a link query (with or without `?`, or a whole URL) as core computes it.
 * Fails when the example ignored part of the link: a test compares only clean links.
 */
export async function coreReport(query) {
  const { code, stdout, stderr } = await run(query);
  if (code !== 0) {
    throw new Error(`evaluate '${query}' exited ${code}:\n${stderr}`);
  }
  return JSON.parse(stdout);
}

/**
 * What core ignores in a link query, as `{key, reason}` in link order (empty for a clean
 * link): the lines `key: reason` the example prints on stderr when it exits with 2.
 */
export async function coreNotes(query) {
  const { code, stderr } = await run(query);
  if (code === 0) {
    return [];
  }
  if (code !== 2) {
    throw new Error(`evaluate '${query}' exited ${code}:\n${stderr}`);
  }
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const at = line.indexOf(': ');
      return { key: line.slice(0, at), reason: line.slice(at + 2) };
    });
}
