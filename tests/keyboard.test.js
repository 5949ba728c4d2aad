// Keyboard-only use: Tab walks the presets, the inputs and each "Show the math" in page order
// with a visible focus ring; keys apply presets, edit fields, open the working and read the
// charts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { siteUrl, useBrowser } from './support/browser.js';

const session = useBrowser();

const PRESETS = [
  'startup',
  'healthcare',
  'high-traffic',
  'trading',
  'rpd-100',
  'rpd-1000',
  'rpd-5000',
  'rpd-10000',
  'rpd-50000',
  'dev-testing',
  'low-volume',
  'high-volume',
  'latency-critical',
  'privacy-required',
];
const TEXT_FIELDS = ['rpd', 'in', 'out', 'peak', 'hrs', 'growth', 'yrs', 'cin', 'cout', 'ccache',
  'cache', 'bill', 'price', 'rent', 'watts', 'kwh', 'life', 'maint', 'ops', 'units', 'upg', 'ctx',
  'slots', 'tps', 'ptps', 'w', 'hyb', 'esc', 'sens'];
const SELECTS = ['cm', 'hw', 'mode', 'lm', 'q'];

/**
 * Presses Tab (or Shift+Tab when the first of `wanted` comes before the focused element) until
 * focus has been on every data-testid of `wanted` (each the nearest data-testid of a focused
 * element); returns what was focused at each press: its own and its nearest data-testid, and
 * how focus shows on it. Focus stays on the last of `wanted` reached. The page records each
 * focus itself (a focusin listener), so presses need no round trips.
 */
async function tabThrough(page, wanted, limit = 300) {
  const targets = Array.isArray(wanted) ? wanted : [wanted];
  const key = await page.evaluate((first) => {
    window.tabbed = [];
    window.tabStops = [];
    if (!window.tabListener) {
      window.tabListener = (event) => {
        const el = event.target;
        window.tabbed.push(el);
        const style = getComputedStyle(el);
        window.tabStops.push({
          testid: el.dataset?.testid ?? null,
          owner: el.closest('[data-testid]')?.dataset.testid ?? null,
          what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.type ? `[${el.type}]` : ''}`,
          focusVisible: el.matches(':focus-visible'),
          outline: `${style.outlineStyle} ${style.outlineWidth}`,
          visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        });
      };
      document.addEventListener('focusin', window.tabListener);
    }
    const target = document.querySelector(`[data-testid="${first}"]`);
    const here = document.activeElement;
    const before =
      here && here !== document.body && target &&
      Boolean(target.compareDocumentPosition(here) & Node.DOCUMENT_POSITION_FOLLOWING) &&
      !target.contains(here);
    return before ? 'Shift+Tab' : 'Tab';
  }, targets[0]);
  for (let pressed = 0; pressed < limit; pressed += 10) {
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press(key);
    }
    const stops = await page.evaluate(() => window.tabStops);
    const reached = targets.map((id) => stops.findIndex((s) => s.owner === id));
    if (reached.every((i) => i >= 0)) {
      const at = Math.max(...reached);
      // Step back over the presses made past the last one wanted.
      const back = key === 'Tab' ? 'Shift+Tab' : 'Tab';
      for (let i = at + 1; i < stops.length; i++) {
        await page.keyboard.press(back);
      }
      await page.evaluate((n) => {
        window.tabbed.length = n;
        window.tabStops.length = n;
      }, at + 1);
      await settleFocusOn(page, stops[at].owner);
      return stops.slice(0, at + 1);
    }
  }
  const stops = await page.evaluate(() => window.tabStops);
  const missing = targets.filter((id) => !stops.some((s) => s.owner === id));
  assert.fail(`${key} never reached ${missing.join(', ')} in ${limit} presses`);
}

/**
 * Where focus is against the element with the data-testid `testid`: `in`, or the key that moves
 * toward it (`Tab` when focus is before it, `Shift+Tab` after).
 */
function focusAgainst(page, testid) {
  return page.evaluate((id) => {
    const target = document.querySelector(`[data-testid="${id}"]`);
    const here = document.activeElement;
    if (target?.contains(here)) return 'in';
    const after = here && here !== document.body &&
      Boolean(target?.compareDocumentPosition(here) & Node.DOCUMENT_POSITION_FOLLOWING);
    return after ? 'Shift+Tab' : 'Tab';
  }, testid);
}

/**
 * Ends with focus on the element with the data-testid `testid`, one key at a time: stepping
 * back over a batch of presses lands elsewhere when the page redrew a tab stop meanwhile (its
 * figures update a task after an edit).
 */
async function settleFocusOn(page, testid, limit = 40) {
  for (let pressed = 0; pressed < limit; pressed++) {
    const where = await focusAgainst(page, testid);
    if (where === 'in') return;
    await page.keyboard.press(where);
  }
  assert.fail(`focus did not settle on ${testid} in ${limit} presses`);
}

const MATH = ['cloud-monthly', 'local-monthly', 'local-units', 'payback-months', 'breakeven-rpd',
  'tco-savings', 'recommendation', 'decision-margin'].map((id) => `math-${id}`);

test('Tab reaches the presets, the inputs and "Show the math" in page order, with a visible focus ring', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1'));
  const wanted = [
    ...PRESETS.map((id) => `preset-${id}`),
    'reset',
    ...[...TEXT_FIELDS, ...SELECTS, 'prio', 'flags', 'derive'].map((key) => `input-${key}`),
    ...MATH,
  ];
  const stops = await tabThrough(calculator.page, wanted);
  const position = (testid) => stops.findIndex((s) => s.owner === testid);

  const presets = PRESETS.map((id) => position(`preset-${id}`));
  assert.deepEqual(presets, [...presets].sort((a, b) => a - b), 'presets in order');
  assert.ok(position('reset') < position('input-rpd'), 'the presets come before the inputs');
  const fields = TEXT_FIELDS.slice(0, 7).map((key) => position(`input-${key}`));
  assert.deepEqual(fields, [...fields].sort((a, b) => a - b), 'the workload fields in order');
  const math = MATH.map(position);
  assert.deepEqual(math, [...math].sort((a, b) => a - b), '"Show the math" in figure order');
  for (const key of ['prio', 'flags']) {
    const boxes = stops.filter((s) => s.owner === `input-${key}`).length;
    assert.ok(boxes >= 4, `Tab reaches each checkbox of input-${key} (${boxes})`);
  }

  const inOrder = await calculator.page.evaluate(() =>
    window.tabbed.every(
      (el, i) =>
        i === 0 ||
        Boolean(window.tabbed[i - 1].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
    ),
  );
  assert.ok(inOrder, 'focus moves forward through the page in document order, never back');

  const hidden = stops.filter((s) => !s.focusVisible || !s.visible);
  assert.deepEqual(
    hidden.map((s) => `${s.testid ?? s.owner ?? ''} ${s.what}: ${s.outline}`),
    [],
    'every focused control shows a focus outline (:focus-visible, outline not none)',
  );
});

test('keys alone apply a preset, edit a field and open the working', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1'));
  const page = calculator.page;
  await tabThrough(page, 'preset-rpd-10000');
  await page.keyboard.press('Enter');
  await calculator.waitForSearch(/[?&]rpd=10000(&|$)/);

  await tabThrough(page, 'input-rpd');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2500');
  await calculator.waitForSearch(/[?&]rpd=2500(&|$)/);

  await tabThrough(page, 'math-cloud-monthly');
  await page.keyboard.press('Enter');
  const math = calculator.hook('math-cloud-monthly');
  assert.equal(await math.evaluate((d) => d.open), true, 'Enter opens "Show the math"');
  await math.locator('code').first().waitFor({ timeout: 5000 });
  assert.match(await math.innerText(), /2,?500/, 'the working uses the typed volume');
});

test('the charts read out their points from the keyboard', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=8000'));
  for (const chart of ['cost', 'cumulative']) {
    const readout = calculator.hook(`chart-readout-${chart}`);
    const hint = await readout.textContent();
    await tabThrough(calculator.page, `chart-${chart}`);
    const focused = await calculator.page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return el.matches(':focus-visible') && style.outlineStyle !== 'none';
    });
    assert.ok(focused, `the ${chart} chart shows its focus`);
    const read = async () => (await readout.textContent()).trim();
    const press = async (key) => {
      await calculator.page.keyboard.press(key);
      return read();
    };
    const start = await read();
    assert.notEqual(start, hint, `focus picks a point of the ${chart} chart to read`);
    assert.match(start, /\d/);
    const first = await press('Home');
    const second = await press('ArrowRight');
    assert.notEqual(second, first, 'ArrowRight moves to the next point');
    assert.equal(await press('ArrowLeft'), first, 'ArrowLeft goes back');
    assert.equal(await press('ArrowLeft'), first, 'ArrowLeft stops at the first point');
    const last = await press('End');
    assert.notEqual(last, first, 'End reads the last point');
    assert.equal(await press('ArrowRight'), last, 'ArrowRight stops at the last point');
  }
});
