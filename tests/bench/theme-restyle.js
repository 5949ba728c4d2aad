// What a theme switch costs the page: it serves dist/ (build it first: `cargo xtask build`),
// opens the calculator with its measurement panel at 1280 × 720, and switches the theme
// `--runs` times, each time forcing the style and then the layout the switch needs, at the top
// of the page and scrolled to the measurement panel. Prints the median of each, and the same
// again with every panel rendered (`content-visibility: visible`), which is what the page
// costs without skipping the panels out of view:
//
//   node tests/bench/theme-restyle.js [--runs 21]

import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../support/browser.js';
import { serveDirectory } from '../support/server.js';
import { median } from './ttft-curl.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' } } });
const runs = Number(values.runs);

/** Switches the theme `runs` times in the page; the style and layout times, ms, of each. */
function switchTheme(runs) {
  const style = [];
  const layout = [];
  const html = document.documentElement;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    html.setAttribute('data-theme', html.getAttribute('data-theme') === 'dark' ? 'light' : 'dark');
    getComputedStyle(document.body).color;
    const styled = performance.now();
    document.body.offsetHeight;
    style.push(styled - start);
    layout.push(performance.now() - styled);
  }
  return { style, layout };
}

const site = await serveDirectory(fileURLToPath(new URL('../../dist/', import.meta.url)));
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${site.url}index.html?v=1&lurl=${encodeURIComponent('http://127.0.0.1:9/')}`);
  await page.waitForSelector('[data-testid="measure-panel"]');
  await page.waitForTimeout(500);
  const elements = await page.evaluate(() => document.querySelectorAll('*').length);
  console.log(`${elements} elements; median of ${runs} theme switches:`);
  const measure = async (where) => {
    const { style, layout } = await page.evaluate(switchTheme, runs);
    console.log(
      `  ${where}: style ${median(style).toFixed(1)} ms, layout ${median(layout).toFixed(1)} ms`,
    );
  };
  const at = async (where, scroll) => {
    await page.evaluate(scroll);
    await page.waitForTimeout(300);
    await measure(where);
  };
  await at('at the top', () => window.scrollTo(0, 0));
  await at('at the measurement panel', () =>
    document.querySelector('[data-testid="measure-section"]').scrollIntoView(),
  );
  await page.addStyleTag({ content: '.results > .panel { content-visibility: visible !important; }' });
  await at('every panel rendered, at the top', () => window.scrollTo(0, 0));
} finally {
  await browser.close();
  await site.close();
}
