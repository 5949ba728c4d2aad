// Editing: every keystroke updates the figures and the link (replacing the history entry);
// a bad value is explained at its field and changes nothing else; presets add a history
// entry; pasted prices apply, to the cloud model chosen next too; a price set for one cloud
// model goes when another is chosen.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreReport } from './support/core.js';
import { assertHeadlineMatches } from './support/figures.js';
import { siteUrl, useBrowser } from './support/browser.js';

const session = useBrowser();

test('typing requests/day updates the link in place and the figures', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=5000&cm=gpt-4o'));
  const entries = await calculator.historyLength();
  const before = await calculator.text('cloud-monthly');
  await calculator.type('rpd', '12000');
  const search = await calculator.waitForSearch(/[?&]rpd=12000(&|$)/);
  await calculator.waitForChange('cloud-monthly', before);
  assert.equal(await calculator.historyLength(), entries, 'typing adds no history entry');
  assertHeadlineMatches(await calculator.figures(), await coreReport(search), search);
  assert.equal((await calculator.query()).cm, 'gpt-4o', 'the rest of the link stays');
});

test('a drop-down, a checkbox and a list field edit the link too', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=5000'));
  await calculator.select('hw', 'a100-80gb');
  await calculator.waitForSearch(/[?&]hw=a100-80gb(&|$)/);
  await calculator.toggle('prio', 'privacy');
  await calculator.waitForSearch(/[?&]prio=privacy(&|$)/);
  await calculator.input('derive').check();
  await calculator.waitForSearch(/[?&]derive=1(&|$)/);
  await calculator.fill('upg', '30000@2');
  const search = await calculator.waitForSearch(/[?&]upg=30000@2(&|$)/);
  assertHeadlineMatches(await calculator.figures(), await coreReport(search), search);
  assert.deepEqual(await calculator.fieldErrors(), {});
});

for (const bad of ['-5', 'abc', '0', '']) {
  test(`requests/day "${bad}" is refused at the field, keeping the last good scenario`, async (t) => {
    const calculator = await session.open(t, siteUrl('v=1&rpd=5000'));
    await calculator.type('rpd', '7000');
    const good = await calculator.waitForSearch(/[?&]rpd=7000(&|$)/);
    const figures = await calculator.figures();
    await calculator.type('rpd', bad);
    const error = calculator.hook('error-rpd');
    await error.filter({ hasText: /\S/ }).waitFor();
    const reason = await calculator.fieldError('rpd');
    assert.ok(reason.length > 5, `error-rpd gives a reason, not just a mark: "${reason}"`);
    assert.equal(await calculator.input('rpd').getAttribute('aria-invalid'), 'true');
    assert.equal(await calculator.value('rpd'), bad, 'the field keeps what was typed');
    assert.deepEqual(await calculator.figures(), figures, 'the figures keep the last good value');
    assert.equal(await calculator.search(), good, 'the link keeps the last good value');
    // Correcting it clears the error and applies.
    await calculator.type('rpd', '9000');
    await calculator.waitForSearch(/[?&]rpd=9000(&|$)/);
    assert.equal(await calculator.fieldError('rpd'), '');
    assert.equal(await calculator.input('rpd').getAttribute('aria-invalid'), 'false');
  });
}

test('absurd and malformed values elsewhere get a message and never break the page', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1'));
  const figures = await calculator.figures();
  for (const [key, value] of [
    ['in', '-1'],
    ['hrs', '25'],
    ['growth', '500'],
    ['yrs', '0'],
    ['cache', '150'],
    ['kwh', 'cheap'],
    ['rpd', '1e400'],
    ['upg', '30000@'],
    ['w', 'cost:x'],
  ]) {
    await calculator.fill(key, value);
    assert.notEqual(await calculator.fieldError(key), '', `error-${key} explains "${value}"`);
    assert.deepEqual(await calculator.figures(), figures, `"${value}" in ${key} changes nothing`);
  }
  assert.equal(await calculator.search(), '?v=1', 'the link holds only good values');
});

test('a preset applies as a new history entry', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=5000'));
  const entries = await calculator.historyLength();
  await calculator.preset('rpd-50000');
  await calculator.waitForSearch(/[?&]rpd=50000(&|$)/);
  assert.equal(await calculator.historyLength(), entries + 1, 'a preset pushes an entry');
  assert.equal(await calculator.value('rpd'), '50000', 'the field shows the preset');
  await calculator.preset('healthcare');
  await calculator.page.waitForFunction((n) => history.length === n, entries + 2);
  const search = await calculator.search();
  assertHeadlineMatches(await calculator.figures(), await coreReport(search), search);
  await calculator.reset();
  await calculator.waitForSearch(/^\?v=1$/);
  assert.equal(await calculator.historyLength(), entries + 3, 'reset is an entry too');
});

test('a preset clears a field error and shows its own values', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1'));
  await calculator.type('rpd', 'abc');
  await calculator.hook('error-rpd').filter({ hasText: /\S/ }).waitFor();
  await calculator.preset('rpd-1000');
  await calculator.waitForSearch(/[?&]rpd=1000(&|$)/);
  assert.equal(await calculator.value('rpd'), '1000');
  assert.equal(await calculator.fieldError('rpd'), '');
});

test('pasted LiteLLM prices apply to the scenario', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=5000&cm=gpt-4o-mini'));
  const before = await calculator.text('cloud-monthly');
  const prices = {
    sample_spec: { mode: 'one of: chat, embedding' },
    'gpt-4o-mini': {
      input_cost_per_token: 3e-7,
      output_cost_per_token: 1.2e-6,
      litellm_provider: 'openai',
      mode: 'chat',
    },
  };
  await calculator.pastePrices(prices);
  const search = await calculator.waitForSearch(/[?&]cin=0\.3(&|$)/);
  assert.match(search, /[?&]cout=1\.2(&|$)/);
  assert.match(await calculator.text('price-status'), /gpt-4o-mini/);
  await calculator.waitForChange('cloud-monthly', before);
  assertHeadlineMatches(await calculator.figures(), await coreReport(search), search);

  await calculator.pastePrices('{"not": "a price file"');
  await calculator.hook('price-status').filter({ hasText: /valid|price/ }).waitFor();
  assert.equal(await calculator.search(), search, 'a bad file changes nothing');
});

test('a price file prices the cloud model chosen next, and shows what it changes', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&cm=gpt-4o-mini'));
  // $ per token: 1e-7 = $0.10 per 1M, 6e-7 = $0.60, 2.5e-7 = $0.25, 1.25e-6 = $1.25, 3e-8 = $0.03.
  await calculator.pastePrices({
    'gpt-4o-mini': { input_cost_per_token: 1e-7, output_cost_per_token: 6e-7, mode: 'chat' },
    'claude-3-haiku-20240307': {
      input_cost_per_token: 2.5e-7,
      output_cost_per_token: 1.25e-6,
      cache_read_input_token_cost: 3e-8,
      mode: 'chat',
    },
  });
  const applied = await calculator.waitForSearch(/[?&]cin=0\.1(&|$)/);
  assert.match(applied, /[?&]cout=0\.6(&|$)/);
  assert.deepEqual(await calculator.tableLines('price-refresh-table'), [
    'GPT-4o mini (gpt-4o-mini) | $0.15 / $0.60 / $0.075 | $0.10 / $0.60 / none | yes',
    'Claude 3 Haiku (claude-3-haiku-20240307) | $0.25 / $1.25 / $0.03 | $0.25 / $1.25 / $0.03 | no',
  ]);

  // Another model the file prices takes the file's prices.
  await calculator.select('cm', 'claude-3-haiku');
  const haiku = await calculator.waitForSearch(/[?&]cm=claude-3-haiku(&|$)/);
  assert.match(haiku, /[?&]cin=0\.25(&|$)/);
  assert.match(haiku, /[?&]cout=1\.25(&|$)/);
  assert.match(haiku, /[?&]ccache=0\.03(&|$)/);
  assert.deepEqual(
    [await calculator.value('cin'), await calculator.value('cout'), await calculator.value('ccache')],
    ['0.25', '1.25', '0.03'],
  );

  // One it does not price goes back to the catalog's prices.
  await calculator.select('cm', 'gemini-2.5-pro');
  const gemini = await calculator.waitForSearch(/[?&]cm=gemini-2\.5-pro(&|$)/);
  assert.doesNotMatch(gemini, /[?&](cin|cout|ccache)=/);
  assert.equal(await calculator.value('cin'), '');
  assertHeadlineMatches(await calculator.figures(), await coreReport(gemini), gemini);
});

test('a price typed for one cloud model goes when another is chosen', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&cm=gpt-4o-mini'));
  await calculator.type('cin', '0.5');
  await calculator.waitForSearch(/[?&]cin=0\.5(&|$)/);
  await calculator.select('cm', 'gpt-4o');
  const search = await calculator.waitForSearch(/[?&]cm=gpt-4o(&|$)/);
  assert.doesNotMatch(search, /[?&]cin=/);
  assert.equal(await calculator.value('cin'), '', 'the field shows the catalog price again');
  assert.equal(await calculator.fieldError('cin'), '');
  assertHeadlineMatches(await calculator.figures(), await coreReport(search), search);
});
