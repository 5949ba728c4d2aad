// What a first visit fetches and when it shows what, on a wide screen and on a phone: it serves
// dist/ (build it first: `cargo xtask build`), opens the calculator `--loads` times in fresh
// browser contexts at 1280 × 800 and at 360 × 740, waits until the network has been idle, and
// prints the files fetched (each once) with their gzip -9 size, and the median time from navigation start
// to the first figures and (where the panels start near the screen) to the first chart:
//
//   node tests/bench/first-screen.js [--loads 10]

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../support/browser.js';
import { serveDirectory } from '../support/server.js';
import { median } from './ttft-curl.js';

const { values } = parseArgs({ options: { loads: { type: 'string', default: '10' } } });
const loads = Number(values.loads);
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** The size of the file of dist/ at `path` (a URL path) through `gzip -9`, as the size check
 * of `cargo xtask test` weighs it. */
function gzipped(path) {
  const file = `${dist}${decodeURIComponent(path).replace(/^\//, '')}`;
  return execFileSync('gzip', ['-9', '--stdout', '--no-name', file], { maxBuffer: 1 << 26 }).length;
}

/** In the page: `window.shownAt.figures` and `.chart` resolve with performance.now() when the
 * first figure and the first chart's readout first have text. */
function watchFirstShown() {
  const when = (selector) =>
    new Promise((resolve) => {
      const seen = () => /\S/.test(document.querySelector(selector)?.textContent ?? '');
      const observer = new MutationObserver(() => {
        if (seen()) {
          observer.disconnect();
          resolve(performance.now());
        }
      });
      observer.observe(document, { subtree: true, childList: true, characterData: true });
    });
  window.shownAt = {
    figures: when('[data-testid="cloud-monthly"]'),
    chart: when('[data-testid="chart-readout-cost"]'),
  };
}

const site = await serveDirectory(dist);
const browser = await launchBrowser();
try {
  for (const [width, height] of [
    [1280, 800],
    [360, 740],
  ]) {
    const figures = [];
    const charts = [];
    let fetched = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      const paths = [];
      page.on('request', (request) => paths.push(new URL(request.url()).pathname));
      await page.addInitScript(watchFirstShown);
      await page.goto(site.url);
      figures.push(await page.evaluate(() => window.shownAt.figures));
      await page.waitForLoadState('networkidle');
      const chart = await page.evaluate(() =>
        Promise.race([window.shownAt.chart, new Promise((r) => setTimeout(() => r(null), 100))]),
      );
      if (chart !== null) {
        charts.push(chart);
      }
      fetched = paths.filter((p) => p !== '/favicon.ico');
      await context.close();
    }
    const files = [...new Set(fetched.map((p) => (p === '/' ? '/index.html' : p)))];
    const sizes = files.map((p) => [p, gzipped(p)]);
    const total = sizes.reduce((sum, [, size]) => sum + size, 0);
    console.log(`${width} × ${height}: ${(total / 1000).toFixed(1)} KB gzip -9 fetched by the time the network is idle`);
    for (const [path, size] of sizes) {
      console.log(`  ${(size / 1000).toFixed(1).padStart(6)} KB  ${path}`);
    }
    console.log(`  first figures: median ${median(figures).toFixed(0)} ms over ${loads} loads`);
    console.log(
      charts.length
        ? `  first chart: median ${median(charts).toFixed(0)} ms over ${charts.length} loads`
        : '  first chart: not drawn until the reader scrolls to it',
    );
  }
} finally {
  await browser.close();
  await site.close();
}
