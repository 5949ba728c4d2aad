// Back, forward and bookmarks restore a scenario exactly: the link, every field and every
// figure.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { siteUrl, useBrowser } from './support/browser.js';

const session = useBrowser();

/** Everything that makes up what a reader sees of a scenario. */
async function snapshot(calculator) {
  return {
    search: await calculator.search(),
    figures: await calculator.figures(),
    inputs: await calculator.inputs(),
    errors: await calculator.fieldErrors(),
  };
}

/** Goes back (or forward) one entry and waits for the page to show `expected.search`. */
async function travel(calculator, direction, expected) {
  await (direction === 'back' ? calculator.page.goBack() : calculator.page.goForward());
  await calculator.page.waitForFunction((search) => location.search === search, expected.search);
  // The figures follow the popstate in the same update; wait for them rather than assume.
  await calculator.page.waitForFunction(
    (text) => document.querySelector('[data-testid="cloud-monthly"]')?.textContent.trim() === text,
    expected.figures['cloud-monthly'],
  );
  return snapshot(calculator);
}

test('back and forward restore each scenario exactly', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=5000&cm=gpt-4o'));
  const first = await snapshot(calculator);

  await calculator.preset('startup');
  await calculator.page.waitForFunction((s) => location.search !== s, first.search);
  const second = await snapshot(calculator);

  await calculator.preset('rpd-50000');
  await calculator.waitForSearch(/[?&]rpd=50000(&|$)/);
  // Typing replaces the preset's entry: going back from here skips the intermediate values.
  await calculator.select('hw', 'h100-80gb');
  await calculator.type('rpd', '42000');
  await calculator.waitForSearch(/[?&]rpd=42000(&|$)/);
  const third = await snapshot(calculator);

  assert.notDeepEqual(first.figures, second.figures, 'the startup preset changes the figures');
  assert.notDeepEqual(second.figures, third.figures, 'the edits change the figures');

  assert.deepEqual(await travel(calculator, 'back', second), second, 'back to the preset');
  assert.deepEqual(await travel(calculator, 'back', first), first, 'back to the opened link');
  assert.deepEqual(await travel(calculator, 'forward', second), second, 'forward to the preset');
  assert.deepEqual(await travel(calculator, 'forward', third), third, 'forward to the edits');
});

test('going back drops a half-typed bad value and its error', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=3000'));
  const first = await snapshot(calculator);
  await calculator.preset('rpd-10000');
  await calculator.waitForSearch(/[?&]rpd=10000(&|$)/);
  await calculator.type('rpd', '-1');
  await calculator.hook('error-rpd').filter({ hasText: /\S/ }).waitFor();
  assert.deepEqual(await travel(calculator, 'back', first), first);
  assert.equal(await calculator.value('rpd'), '3000');
});

test('a bookmark (the same link in a new window) restores the scenario', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1'));
  await calculator.preset('high-traffic');
  await calculator.page.waitForFunction(() => location.search !== '?v=1');
  await calculator.select('lm', 'qwen2.5:14b');
  await calculator.type('out', '650');
  await calculator.waitForSearch(/[?&]out=650(&|$)/);
  const edited = await snapshot(calculator);

  const reopened = await session.open(t, calculator.page.url());
  assert.deepEqual(await snapshot(reopened), edited, 'the address bar holds the whole scenario');
  const shared = await session.open(t, await calculator.shareLink());
  assert.deepEqual(await snapshot(shared), edited, 'the share link holds the whole scenario');
});
