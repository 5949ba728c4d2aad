// Page object for the calculator page: where its figures are and what went wrong loading it.

/** The calculator page, with every console error, page error and request recorded. */
export class CalculatorPage {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
    /** Console errors and uncaught exceptions, as readable lines. */
    this.errors = [];
    /** Every URL the page requested. */
    this.requests = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        this.errors.push(`console error: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => this.errors.push(`page error: ${error.message}`));
    page.on('request', (request) => this.requests.push(request.url()));
  }

  /** Opens the page at `url` and waits until the app has rendered its first figure. */
  async open(url) {
    await this.page.goto(url);
    await this.localMonthly.waitFor({ state: 'visible' });
  }

  /** The local cost per month. */
  get localMonthly() {
    return this.page.getByTestId('local-monthly');
  }

  /** The local cost per month as the page shows it. */
  async localMonthlyText() {
    return (await this.localMonthly.textContent()) ?? '';
  }
}
