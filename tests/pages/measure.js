// Page object for the live measurement panel of the calculator page: opening it, setting up
// each side (API, endpoint, model, key), the shared settings, running a series or a throughput
// test, cancelling, and reading what came back (the answer, the problem, the tables, the
// progress). Only this file and pages/calculator.js know the selectors (data-testid hooks).

import assert from 'node:assert/strict';
import { startFakeLlmProcess } from '../support/fake-llm-process.js';
import { CalculatorPage } from './calculator.js';

/** The two sides of a measurement. */
export const SIDES = ['local', 'cloud'];

/**
 * A number as the panel writes it: `308.0 ms`, `1,000.0 tok/s`, `20 tokens (counted)`.
 *
 * @param {string} text
 * @returns {number}
 */
export function amount(text) {
  const match = /-?[\d,]+(\.\d+)?/.exec(text ?? '');
  assert.ok(match, `"${text}" holds a number`);
  return Number(match[0].replaceAll(',', ''));
}

/**
 * The calculator page with its measurement panel. Like CalculatorPage, it records console
 * errors, page errors and every requested URL, and close() fails on a console error, except
 * the browser's own reports of requests to a server that the test made fail on purpose
 * (see {@link expectFailedRequestsTo}).
 */
export class MeasurePage extends CalculatorPage {
  /**
   * Starts the fake LLM server in a process of its own (`options` as for
   * startFakeLlmProcess) and a page in a fresh context that trusts the server's certificate
   * when it speaks HTTPS; closes both after test `t`, the page first.
   *
   * @returns {Promise<{page: MeasurePage, llm: Awaited<ReturnType<typeof startFakeLlmProcess>>}>}
   */
  static async withFakeServer(t, browser, options = {}) {
    const llm = await startFakeLlmProcess(options);
    const trust = options.tls ? { ignoreHTTPSErrors: true } : {};
    const page = await this.launch(browser, undefined, trust);
    t.after(async () => {
      try {
        await page.close();
      } finally {
        await llm.close();
      }
    });
    return { page, llm };
  }

  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    super(page);
    /** Origins whose failed requests the browser may report on the console. */
    this.failingOrigins = [];
  }

  /**
   * Lets the browser report failed requests to `url`'s origin on the console (a refused
   * status, a CORS refusal, a cut connection): the test makes that server fail on purpose.
   * Any other console error still fails the test.
   */
  expectFailedRequestsTo(url) {
    this.failingOrigins.push(new URL(url).origin);
  }

  /** Closes the page; fails if it logged a console error other than the expected ones. */
  async close() {
    const expected = (line) =>
      this.failingOrigins.some(
        (origin) =>
          (line.startsWith('console error: Failed to load resource:') &&
            line.includes(`(${origin}/`)) ||
          (line.startsWith(`console error: Access to fetch at '${origin}/`) &&
            line.includes('blocked by CORS policy')),
      );
    this.errors = this.errors.filter((line) => !expected(line));
    await super.close();
  }

  // --- the panel ---------------------------------------------------------------------------

  /** The panel. */
  get panel() {
    return this.hook('measure-panel');
  }

  /** Whether the panel is on the page. */
  async panelIsOpen() {
    return this.has('measure-panel');
  }

  /** Whether the button that opens the panel is shown (the panel is closed). */
  async openButtonShown() {
    return this.has('measure-open');
  }

  /** Opens the panel with its button (unless it is open already) and waits for it. */
  async openPanel() {
    if (!(await this.panelIsOpen())) {
      await this.hook('measure-open').click();
    }
    await this.waitForPanel();
  }

  /** Waits until the panel is mounted (a link with measurement keys opens it by itself). */
  async waitForPanel() {
    await this.panel.waitFor();
  }

  // --- each side ---------------------------------------------------------------------------

  /** The hook `measure-<side>-<what>`. */
  sideHook(side, what) {
    assert.ok(SIDES.includes(side), `side is local or cloud, not ${side}`);
    return this.hook(`measure-${side}-${what}`);
  }

  /** Ticks or unticks whether Run measures `side`. */
  async enable(side, on = true) {
    await this.sideHook(side, 'enabled').setChecked(on);
  }

  /** Whether Run measures `side`. */
  async enabled(side) {
    return this.sideHook(side, 'enabled').isChecked();
  }

  /** Picks the API of `side`: `ollama`, `openai` or `anthropic`. */
  async setApi(side, api) {
    await this.sideHook(side, 'api').selectOption(api);
  }

  /** The API chosen for `side`. */
  async api(side) {
    return this.sideHook(side, 'api').inputValue();
  }

  /** Types a text field's new value and leaves the field, so that it applies (on change). */
  async enter(locator, value) {
    await locator.fill(value);
    await locator.press('Tab');
  }

  /** Sets the endpoint (base URL) of `side`. */
  async setEndpoint(side, url) {
    await this.enter(this.sideHook(side, 'endpoint'), url);
  }

  /** Sets the model of `side`. */
  async setModel(side, model) {
    await this.enter(this.sideHook(side, 'model'), model);
  }

  /** The endpoint field of `side` as shown (empty for the API's usual one). */
  async endpoint(side) {
    return this.sideHook(side, 'endpoint').inputValue();
  }

  /** The model field of `side` as shown (empty for the scenario's model). */
  async model(side) {
    return this.sideHook(side, 'model').inputValue();
  }

  /** Types the API key of `side` (cloud APIs only). */
  async setKey(side, key) {
    await this.enter(this.sideHook(side, 'key'), key);
  }

  /** The key field's value. */
  async key(side) {
    return this.sideHook(side, 'key').inputValue();
  }

  /**
   * The key field of `side` once a remembered key has come back into it after loading (empty
   * if none does within 2 s).
   */
  async restoredKey(side) {
    const id = `measure-${side}-key`;
    await this.page
      .waitForFunction((testid) => document.querySelector(`[data-testid="${testid}"]`)?.value, id, {
        timeout: 2000,
      })
      .catch(() => {});
    return this.key(side);
  }

  /** Ticks or unticks "remember on this device" for the key of `side`. */
  async remember(side, on = true) {
    await this.sideHook(side, 'remember').setChecked(on);
  }

  /** Whether "remember on this device" is ticked for `side`. */
  async remembers(side) {
    return this.sideHook(side, 'remember').isChecked();
  }

  /** Sets up `side` in one go: `{api, endpoint, model, key}`, each optional. */
  async setUp(side, { api, endpoint, model, key } = {}) {
    await this.enable(side, true);
    if (api !== undefined) await this.setApi(side, api);
    if (endpoint !== undefined) await this.setEndpoint(side, endpoint);
    if (model !== undefined) await this.setModel(side, model);
    if (key !== undefined) await this.setKey(side, key);
  }

  /** Presses "Check connection" for `side` and returns what it found (the info text). */
  async checkConnection(side) {
    await this.sideHook(side, 'check').click();
    await this.page.waitForFunction(
      (id) => {
        const text = document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim();
        return text !== undefined && text !== 'checking…';
      },
      `measure-${side}-info`,
    );
    return this.text(`measure-${side}-info`);
  }

  /** The problem shown for `side`: `{kind, text}` (title and steps), or null. */
  async problem(side) {
    const box = this.sideHook(side, 'problem');
    if ((await box.count()) === 0) {
      return null;
    }
    return {
      kind: await box.getAttribute('data-kind'),
      role: await box.getAttribute('role'),
      text: (await box.innerText()).trim(),
    };
  }

  /** The latest streamed answer of `side`, exactly as shown (empty when none). */
  async answer(side) {
    const pre = this.sideHook(side, 'answer');
    return (await pre.count()) === 0 ? '' : ((await pre.textContent()) ?? '');
  }

  /**
   * The series table of `side` as `{rowTestid: {figure, p50, p95, min, max, mean, runs}}`
   * (the cell texts), or null when there is none.
   */
  async series(side) {
    return this.table(`measure-${side}-series`);
  }

  /**
   * The throughput table of `side` as `{rowTestid: value}` (`tp-requests`, `tp-errors`, ...),
   * or null when there is none.
   */
  async throughput(side) {
    const table = await this.table(`measure-${side}-throughput`);
    return table && Object.fromEntries(Object.entries(table).map(([id, row]) => [id, row.value]));
  }

  /** The comparison as `{rowTestid: {'figure (p50)', local, cloud}}`, or null. */
  async comparison() {
    return this.table('measure-comparison');
  }

  /** How wide the table with the data-testid `testid` is, and its scroll region, px. */
  async tableWidth(testid) {
    return this.hook(testid).evaluate((table) => ({
      table: table.scrollWidth,
      region: table.closest('.table-wrap').clientWidth,
    }));
  }

  /**
   * Scrolls the table with the data-testid `testid` to its right end and returns where the
   * first and last cells of its first body row then are, `[left, right]` in px from the left
   * edge of the table's scroll region, with the region's width and how far it scrolled.
   */
  async scrollTableToEnd(testid) {
    return this.hook(testid).evaluate((table) => {
      const region = table.closest('.table-wrap');
      region.scrollLeft = region.scrollWidth;
      const edge = region.getBoundingClientRect().left;
      const cells = table.querySelector('tbody tr').children;
      const box = (cell) => {
        const rect = cell.getBoundingClientRect();
        return [rect.left - edge, rect.right - edge];
      };
      return {
        width: region.clientWidth,
        scrolled: region.scrollLeft,
        first: box(cells[0]),
        last: box(cells[cells.length - 1]),
      };
    });
  }

  // --- shared settings ---------------------------------------------------------------------

  /** Sets the prompt sent to both sides. */
  async setPrompt(text) {
    await this.enter(this.hook('measure-prompt'), text);
  }

  /** The prompt as shown. */
  async prompt() {
    return this.hook('measure-prompt').inputValue();
  }

  /** Types into a setting: `maxt`, `runs`, `tmo`, `reqs` or `conc`. */
  async setSetting(key, value) {
    await this.enter(this.hook(`measure-${key}`), String(value));
  }

  /** A setting's current text. */
  async setting(key) {
    return this.hook(`measure-${key}`).inputValue();
  }

  /** Ticks or unticks the warm-up run. */
  async setWarmUp(on) {
    await this.hook('measure-warm').setChecked(on);
  }

  /** The bad-value messages under the settings, as shown. */
  async settingErrors() {
    return (await this.hook('measure-field-errors').locator('li').allTextContents()).map((s) =>
      s.trim(),
    );
  }

  /** Waits until a bad-value message shows under the settings; returns them all. */
  async waitForSettingErrors() {
    await this.hook('measure-field-errors').locator('li').first().waitFor();
    return this.settingErrors();
  }

  /** The notes about the link's bad measurement keys, as shown (empty when none). */
  async notes() {
    if (!(await this.has('measure-notes'))) {
      return [];
    }
    return (await this.hook('measure-notes').locator('li').allTextContents()).map((s) => s.trim());
  }

  /** The sentence naming where Run sends requests. */
  async hosts() {
    return this.text('measure-hosts');
  }

  // --- running -----------------------------------------------------------------------------

  /** Presses Run (a series on each side ticked) without waiting. */
  async startRun() {
    await this.hook('measure-run').click();
  }

  /** Scrolls the "Throughput test" button into view. */
  async scrollToThroughput() {
    await this.hook('measure-throughput').scrollIntoViewIfNeeded();
  }

  /** Presses "Throughput test" without waiting. */
  async startThroughput() {
    await this.hook('measure-throughput').click();
  }

  /** Presses "Concurrency sweep" without waiting. */
  async startSweep() {
    await this.hook('measure-sweep').click();
  }

  /** Presses "Concurrency sweep" and waits until every request is done. */
  async runSweep(options = {}) {
    await this.startSweep();
    return this.waitForDone(options);
  }

  /** The sweep table of `side`, one `a | b | c` line per step, or null when there is none. */
  async sweepLines(side) {
    return this.tableLines(`sweep-${side}-table`);
  }

  /** Presses Cancel. */
  async cancel() {
    await this.hook('measure-cancel').click();
  }

  /**
   * Presses Run and waits until every request is done; returns the progress text.
   *
   * @param {{timeout?: number}} [options]
   */
  async run(options = {}) {
    await this.startRun();
    return this.waitForDone(options);
  }

  /** Presses "Throughput test" and waits until every request is done. */
  async runThroughput(options = {}) {
    await this.startThroughput();
    return this.waitForDone(options);
  }

  /**
   * Waits until a batch is over: the progress reads "N of N requests" and Run is enabled
   * again. Returns the progress text.
   */
  async waitForDone({ timeout = 30_000 } = {}) {
    await this.page.waitForFunction(
      () => {
        const text = document.querySelector('[data-testid="measure-progress-text"]')?.textContent;
        const run = document.querySelector('[data-testid="measure-run"]');
        const done = /^(\d+) of \1 requests$/.exec(text?.trim() ?? '');
        return done && Number(done[1]) > 0 && run && !run.disabled;
      },
      null,
      // Checked on a timer, not every animation frame: polling per frame would keep the
      // page rendering frames while it measures, and a response arriving mid-frame waits.
      { timeout, polling: 100 },
    );
    return this.progress();
  }

  /** Waits until `done` requests of the batch have ended. */
  async waitForProgress(done) {
    await this.page.waitForFunction(
      (n) =>
        Number(document.querySelector('[data-testid="measure-progress"]')?.value ?? 0) >= n,
      done,
    );
  }

  /** Whether the progress bar is shown (only once something ran). */
  async progressShown() {
    return this.hook('measure-progress').isVisible();
  }

  /** The progress text, e.g. `3 of 6 requests`. */
  async progress() {
    return this.text('measure-progress-text');
  }

  /** Whether Run, "Throughput test" and Cancel are enabled: `{run, throughput, cancel}`. */
  async buttons() {
    return {
      run: await this.hook('measure-run').isEnabled(),
      throughput: await this.hook('measure-throughput').isEnabled(),
      cancel: await this.hook('measure-cancel').isEnabled(),
    };
  }

  /** Waits until Run is enabled (nothing running). */
  async waitForIdle() {
    await this.page.waitForFunction(
      () => document.querySelector('[data-testid="measure-run"]')?.disabled === false,
    );
  }

  // --- after a run -------------------------------------------------------------------------

  /** Presses "Use these numbers" and returns what the panel says it wrote. */
  async adopt() {
    await this.hook('measure-adopt').click();
    await this.hook('measure-adopted').filter({ hasText: /\S/ }).waitFor();
    return this.text('measure-adopted');
  }

  /**
   * Presses "Copy as Markdown" and returns what reached the clipboard (the context needs the
   * `clipboard-read` and `clipboard-write` permissions).
   */
  async copyMarkdown() {
    return this.copiedBy('measure-copy');
  }

  /** Presses "Copy link to this setup" and returns what reached the clipboard. */
  async copySetupLink() {
    return this.copiedBy('measure-copy-link');
  }

  /** Empties the clipboard, clicks the button `testid`, and returns what it copied. */
  async copiedBy(testid) {
    await this.page.evaluate(() => navigator.clipboard.writeText(''));
    await this.hook(testid).click();
    const copied = await this.page.waitForFunction(async () => {
      const text = await navigator.clipboard.readText();
      return text !== '' && text;
    });
    return copied.jsonValue();
  }

  // --- what the page holds -------------------------------------------------------------------

  /** The whole document's markup and text, with the values of every field and the URL. */
  async everythingShown() {
    return this.page.evaluate(() => {
      const values = [...document.querySelectorAll('input, textarea, select')]
        .filter((el) => el.type !== 'password')
        .map((el) => el.value);
      return [
        location.href,
        JSON.stringify(history.state),
        document.documentElement.outerHTML,
        document.body.innerText,
        ...values,
      ].join('\n');
    });
  }

  /** localStorage and sessionStorage as `{local: {...}, session: {...}}`. */
  async storage() {
    return this.page.evaluate(() => ({
      local: { ...localStorage },
      session: { ...sessionStorage },
    }));
  }
}
