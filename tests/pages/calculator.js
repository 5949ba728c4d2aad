// Page object for the calculator page: where its figures, fields, presets, banners and
// exports are, and what went wrong while it was open. Tests use these methods; only this
// file knows the selectors (data-testid hooks, listed in ../README.md).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { HEADLINE } from '../support/figures.js';

/** The calculator page, with every console error, page error and request recorded. */
export class CalculatorPage {
  /**
   * Opens `url` in a new browser context (its own cookies, storage and cache) and waits for
   * the first figures; called on a subclass, makes a page of that class. Close it with
   * {@link close}, which also checks that nothing went wrong.
   *
   * @param {import('playwright-core').Browser} browser
   * @param {string} url
   * @param {import('playwright-core').BrowserContextOptions} [contextOptions]
   */
  static async launch(browser, url, contextOptions = {}) {
    const context = await browser.newContext(contextOptions);
    const page = new this(await context.newPage());
    if (url) {
      await page.open(url);
    }
    return page;
  }

  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
    /** Console errors and uncaught exceptions, as readable lines. */
    this.errors = [];
    /** Every URL the page requested. */
    this.requests = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        const where = message.location()?.url;
        this.errors.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
      }
    });
    page.on('pageerror', (error) => this.errors.push(`page error: ${error.message}`));
    page.on('request', (request) => this.requests.push(request.url()));
  }

  /**
   * Opens the page at `url` and waits until the app has rendered its first figure, then, unless
   * `panels` is false, until the panels below the figures are drawn too.
   */
  async open(url, { panels = true } = {}) {
    await this.page.goto(url);
    await this.waitForFigures();
    if (panels) {
      await this.showPanels();
    }
  }

  /**
   * Brings the panels below the headline figures near the screen, which is what loads the
   * module that draws them, waits until they are drawn, and scrolls back to the top. Nothing
   * to wait for where a view draws none of them (an embed of the figures alone).
   */
  async showPanels() {
    const root = this.hook('panels-root');
    if ((await root.count()) === 0) {
      return;
    }
    await root.evaluate((element) => element.scrollIntoView());
    await root.locator('section').first().waitFor();
    await this.page.evaluate(() => window.scrollTo(0, 0));
  }

  /** Waits until the headline figures are on screen. */
  async waitForFigures() {
    await this.page.waitForFunction(() =>
      /\S/.test(document.querySelector('[data-testid="cloud-monthly"]')?.textContent ?? ''),
    );
  }

  /**
   * Closes the page's context, then fails if the page logged a console error or threw.
   * Safe to call twice.
   */
  async close() {
    if (!this.closed) {
      this.closed = true;
      await this.page.context().close();
    }
    assert.deepEqual(this.errors, [], 'the page logged no console error and threw nothing');
  }

  // --- hooks -------------------------------------------------------------------------------

  /** The element with this data-testid. */
  hook(testid) {
    return this.page.getByTestId(testid, { exact: true });
  }

  /** The left edge and width, in px, of `main`'s content box and of the results column. */
  async resultsColumn() {
    return this.page.evaluate(() => {
      const main = document.querySelector('main');
      const style = getComputedStyle(main);
      const box = main.getBoundingClientRect();
      const results = document.querySelector('.layout .results').getBoundingClientRect();
      return {
        mainLeft: box.left + parseFloat(style.paddingLeft),
        mainWidth: box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
        left: results.left,
        width: results.width,
      };
    });
  }

  /**
   * Every table on the page with its scroll region's width and the width it needs, and where
   * its first and last cells of the first body row sit once scrolled to the right end:
   * `{testid, width, needs, first: [left, right], last: [left, right]}`, px from the region's
   * left edge. Tables of hidden panels (zero width) are left out.
   */
  async tableFits() {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('.table-wrap')]
        .filter((region) => region.clientWidth > 0)
        .map((region) => {
          const table = region.querySelector('table');
          const fit = { testid: table.dataset.testid, width: region.clientWidth, needs: region.scrollWidth };
          region.scrollLeft = region.scrollWidth;
          const edge = region.getBoundingClientRect().left;
          const cells = table.querySelector('tbody tr')?.children ?? [];
          const box = (cell) => {
            const rect = cell.getBoundingClientRect();
            return [rect.left - edge, rect.right - edge];
          };
          if (cells.length) {
            fit.first = box(cells[0]);
            fit.last = box(cells[cells.length - 1]);
          }
          region.scrollLeft = 0;
          return fit;
        }),
    );
  }

  /** Every drop-down with the width its chosen option's text needs and the width it has, px. */
  async selectFits() {
    return this.page.evaluate(() => {
      const context = document.createElement('canvas').getContext('2d');
      return [...document.querySelectorAll('select')]
        .filter((select) => select.clientWidth > 0)
        .map((select) => {
          const style = getComputedStyle(select);
          context.font = style.font;
          const text = select.options[select.selectedIndex]?.text ?? '';
          // The arrow and the padding take the rest of the box.
          const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return { testid: select.dataset.testid, text, needs: context.measureText(text).width, room };
        });
    });
  }

  /** Whether an element with this data-testid is on the page. */
  async has(testid) {
    return (await this.hook(testid).count()) > 0;
  }

  // --- figures -----------------------------------------------------------------------------

  /** The local cost per month. */
  get localMonthly() {
    return this.hook('local-monthly');
  }

  /** The local cost per month as the page shows it. */
  async localMonthlyText() {
    return (await this.localMonthly.textContent()) ?? '';
  }

  /** One figure's text (any data-testid), trimmed. */
  async text(testid) {
    return ((await this.hook(testid).textContent()) ?? '').trim();
  }

  /** The headline figures as shown, keyed by data-testid, read in one go. */
  async figures() {
    return this.page.evaluate((ids) => {
      const figures = {};
      for (const id of ids) {
        figures[id] = document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim();
      }
      return figures;
    }, HEADLINE);
  }

  /** Waits until the figure `testid` no longer reads `before`; returns the new text. */
  async waitForChange(testid, before) {
    await this.page.waitForFunction(
      ([id, old]) => {
        const text = document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim();
        return text !== undefined && text !== old;
      },
      [testid, before],
    );
    return this.text(testid);
  }

  /** Opens every "Show the math" (and every other closed <details>) on the page. */
  async openAllDetails() {
    await this.page.evaluate(() => {
      for (const details of document.querySelectorAll('details')) {
        details.open = true;
      }
    });
  }

  // --- fields ------------------------------------------------------------------------------

  /** The control of a link key: `input-<key>`. */
  input(key) {
    return this.hook(`input-${key}`);
  }

  /** Types `value` into a text field as a person would (select, type, one event per key). */
  async type(key, value) {
    const input = this.input(key);
    await input.click();
    await input.press('Control+A');
    if (value === '') {
      await input.press('Backspace');
    } else {
      await input.pressSequentially(value);
    }
  }

  /** Replaces a text field's value in one input event. */
  async fill(key, value) {
    await this.input(key).fill(value);
  }

  /** Picks `value` in a drop-down. */
  async select(key, value) {
    await this.input(key).selectOption(value);
  }

  /** The inline error of a field, trimmed (empty when the value is good). */
  async fieldError(key) {
    return this.text(`error-${key}`);
  }

  /** A text field's or drop-down's current value. */
  async value(key) {
    return this.input(key).inputValue();
  }

  /** Ticks or unticks the checkbox `value` in the fieldset of a list key (`prio`, `flags`). */
  async toggle(key, value) {
    await this.input(key).locator(`input[type=checkbox][value="${value}"]`).click();
  }

  /**
   * Every control's state, keyed by data-testid: a text field's or drop-down's value, a
   * checkbox's checked state, a fieldset's ticked values.
   */
  async inputs() {
    return this.page.evaluate(() => {
      const state = {};
      for (const el of document.querySelectorAll('[data-testid^="input-"]')) {
        const id = el.dataset.testid;
        if (el instanceof HTMLFieldSetElement) {
          state[id] = [...el.querySelectorAll('input[type=checkbox]')]
            .filter((box) => box.checked)
            .map((box) => box.value);
        } else if (el instanceof HTMLInputElement && el.type === 'checkbox') {
          state[id] = el.checked;
        } else {
          state[id] = el.value;
        }
      }
      return state;
    });
  }

  /** The inline errors shown, keyed by field (only fields with an error). */
  async fieldErrors() {
    return this.page.evaluate(() => {
      const errors = {};
      for (const el of document.querySelectorAll('[data-testid^="error-"]')) {
        const text = el.textContent.trim();
        if (text) {
          errors[el.dataset.testid.slice('error-'.length)] = text;
        }
      }
      return errors;
    });
  }

  // --- presets -----------------------------------------------------------------------------

  /** Applies a preset (`startup`, `rpd-1000`, ...). */
  async preset(id) {
    await this.hook(`preset-${id}`).click();
  }

  /** Resets every input to its default. */
  async reset() {
    await this.hook('reset').click();
  }

  // --- the address bar and history -----------------------------------------------------------

  /** `location.search`, with its `?`. */
  async search() {
    return this.page.evaluate(() => location.search);
  }

  /** The query as key/value pairs (decoded). */
  async query() {
    return Object.fromEntries(new URL(this.page.url()).searchParams);
  }

  /** `history.length`. */
  async historyLength() {
    return this.page.evaluate(() => history.length);
  }

  /** Waits until `location.search` matches `pattern` (a RegExp); returns it. */
  async waitForSearch(pattern) {
    await this.page.waitForFunction(
      ([source, flags]) => new RegExp(source, flags).test(location.search),
      [pattern.source, pattern.flags],
    );
    return this.search();
  }

  // --- banners -----------------------------------------------------------------------------

  /** The ignored parts of the link as the banner lists them: `[{key, reason}]`, in order. */
  async linkNotes() {
    if (!(await this.has('link-notes'))) {
      return [];
    }
    return this.hook('link-notes')
      .locator('li')
      .evaluateAll((items) =>
        items.map((li) => {
          const key = li.querySelector('code')?.textContent?.trim() ?? '';
          const text = li.textContent.trim();
          const reason = text.startsWith(key) ? text.slice(key.length) : text;
          return { key, reason: reason.replace(/^\s*:\s*/, '').trim() };
        }),
      );
  }

  /** Closes the link-notes banner with its own button. */
  async dismissLinkNotes() {
    await this.hook('link-notes').getByRole('button').click();
  }

  // --- catalog -----------------------------------------------------------------------------

  /** Opens the price file box, pastes `prices` (an object, or text as is) and applies it. */
  async pastePrices(prices) {
    const paste = this.hook('price-paste');
    await paste.evaluate((el) => el.closest('details').setAttribute('open', ''));
    await paste.fill(typeof prices === 'string' ? prices : JSON.stringify(prices));
    await this.hook('price-apply').click();
  }

  /**
   * The table `testid` as read: its column headings, and each body row's `data-testid` and
   * cells' texts; null when the table is not on the page.
   */
  async tableCells(testid) {
    if (!(await this.has(testid))) {
      return null;
    }
    return this.hook(testid).evaluate((table) => ({
      head: [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
      rows: [...table.querySelectorAll('tbody tr')].map((tr) => ({
        testid: tr.dataset.testid,
        cells: [...tr.cells].map((cell) => cell.textContent.trim()),
      })),
    }));
  }

  /** The body rows of the table `testid`, each as its cells' texts joined by ` | `. */
  async tableLines(testid) {
    const table = await this.tableCells(testid);
    return table?.rows.map((row) => row.cells.join(' | '));
  }

  /**
   * The table `testid` as `{rowTestid: {columnHeading: cellText}}`, rows in order; null when
   * the table is not on the page.
   */
  async table(testid) {
    const table = await this.tableCells(testid);
    return (
      table &&
      Object.fromEntries(
        table.rows.map((row) => [
          row.testid,
          Object.fromEntries(table.head.map((heading, i) => [heading, row.cells[i]])),
        ]),
      )
    );
  }

  // --- sharing and exports -----------------------------------------------------------------

  /** The link in the share box. */
  async shareLink() {
    return this.hook('share-link').inputValue();
  }

  /** The embed snippet's code. */
  async embedSnippet() {
    return this.hook('embed-snippet').inputValue();
  }

  /** Opens "Embed this calculator" and ticks the panel `value` (`measure`, `charts`…). */
  async chooseEmbedPanel(value) {
    const details = this.page.locator('details.embed');
    if (!(await details.evaluate((d) => d.open))) {
      await details.locator('summary').click();
    }
    await this.hook(`embed-panel-${value}`).check();
  }

  /**
   * Clicks an export button (`export-markdown`, `export-csv`, `export-json`) and returns the
   * download's suggested file name and content.
   */
  async download(testid) {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.hook(testid).click(),
    ]);
    const failure = await download.failure();
    assert.equal(failure, null, `the ${testid} download completed`);
    return {
      name: download.suggestedFilename(),
      text: await readFile(await download.path(), 'utf8'),
    };
  }

  // --- theme -------------------------------------------------------------------------------

  /** Clicks the theme toggle once (system → light → dark → system). */
  async toggleTheme() {
    await this.hook('theme-toggle').click();
  }

  /** The `data-theme` attribute of <html>, or null. */
  async theme() {
    return this.page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  }

  /** Clicks the toggle until <html> has `data-theme` = `theme` (null for the system's). */
  async setTheme(theme) {
    for (let i = 0; i < 3 && (await this.theme()) !== theme; i++) {
      await this.toggleTheme();
    }
    assert.equal(await this.theme(), theme, `the theme toggle reaches ${theme ?? 'system'}`);
  }

  // --- layout ------------------------------------------------------------------------------

  /**
   * How wide the document is against the viewport, and the visible elements sticking out of
   * the viewport that no scrolling or clipping box contains (for the failure message).
   */
  async horizontalOverflow() {
    return this.page.evaluate(() => {
      const viewport = document.documentElement.clientWidth;
      const offenders = [];
      const contained = (el) => {
        for (let up = el.parentElement; up; up = up.parentElement) {
          const style = getComputedStyle(up);
          if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) {
            return up.getBoundingClientRect().right <= viewport + 1;
          }
        }
        return false;
      };
      for (const el of document.body.querySelectorAll('*')) {
        const rect = el.getBoundingClientRect();
        if (rect.width > 0 && rect.right > viewport + 1 && !contained(el)) {
          const id = el.dataset?.testid ? `[data-testid=${el.dataset.testid}]` : '';
          const cls = typeof el.className === 'string' && el.className ? `.${el.className}` : '';
          offenders.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(rect.right)}`);
        }
      }
      return {
        scrollWidth: document.documentElement.scrollWidth,
        viewport,
        offenders: offenders.slice(0, 10),
      };
    });
  }
}
