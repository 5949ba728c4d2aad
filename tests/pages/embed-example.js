// Page object for a page of another site that embeds the calculator in an iframe:
// public/embed-example.html, or a page holding the snippet the calculator generates.

import assert from 'node:assert/strict';

/** An embedding page, with the console errors and page errors of it and its frames. */
export class EmbeddingPage {
  /**
   * Opens `url` in a new context of `browser`; {@link close} checks nothing went wrong.
   *
   * @param {import('playwright-core').Browser} browser
   * @param {string} url
   */
  static async launch(browser, url) {
    const context = await browser.newContext();
    const embedding = new EmbeddingPage(await context.newPage());
    await embedding.page.goto(url);
    return embedding;
  }

  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
    this.errors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        this.errors.push(`console error: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => this.errors.push(`page error: ${error.message}`));
  }

  /** Closes the context, then fails if the page or its frames logged an error. */
  async close() {
    if (!this.closed) {
      this.closed = true;
      await this.page.context().close();
    }
    assert.deepEqual(this.errors, [], 'the embedding page and its frames logged no error');
  }

  /** The calculator's iframe element. */
  get iframe() {
    return this.page.locator('iframe').first();
  }

  /** The calculator inside the iframe, to find its hooks. */
  get calculator() {
    return this.page.frameLocator('iframe').first();
  }

  /** The calculator's frame (a Playwright Frame), once it has loaded. */
  async calculatorFrame() {
    const handle = await this.iframe.elementHandle();
    return handle.contentFrame();
  }

  /** The iframe's `src`. */
  async iframeSrc() {
    return this.iframe.getAttribute('src');
  }

  /** The height of the iframe's viewport in CSS pixels (its content box). */
  async iframeHeight() {
    return this.iframe.evaluate((frame) => frame.clientHeight);
  }

  /** The example page's `#height`: the last height it received, as text. */
  async heightText() {
    return (await this.page.locator('#height').textContent()).trim();
  }

  /**
   * Waits until `#height` shows a height between `min` and `max` (exclusive) and the iframe is
   * that tall; returns it.
   */
  async waitForHeight({ min = 0, max = Infinity, timeout } = {}) {
    const handle = await this.page.waitForFunction(
      ([floor, ceiling]) => {
        const value = Number(document.getElementById('height')?.textContent);
        const frame = document.querySelector('iframe');
        return value > floor && value < ceiling && frame?.clientHeight === value ? value : false;
      },
      [min, max === Infinity ? Number.MAX_VALUE : max],
      { timeout },
    );
    return handle.jsonValue();
  }

  /**
   * Waits until the calculator fits its iframe: no inner scrolling, however its content
   * changed meanwhile (charts drawn, fonts loaded). Returns the iframe's height.
   */
  async waitForFit() {
    const frame = await this.calculatorFrame();
    await frame.waitForFunction(
      () => document.documentElement.scrollHeight <= window.innerHeight && window.innerHeight > 200,
    );
    return this.iframeHeight();
  }

  /** Waits until the iframe has been sized from a message: its inline height is set. */
  async waitForSizedIframe(min) {
    const handle = await this.page.waitForFunction((floor) => {
      const px = parseFloat(document.querySelector('iframe')?.style.height ?? '');
      return px > floor ? px : false;
    }, min);
    return handle.jsonValue();
  }
}
