// Links: a malformed link names what it ignored and why, applies the rest and leaves a
// working page; view keys (embed, panels, theme) stay in the address; the share box and the
// copy button give the scenario's link.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreNotes, coreReport } from './support/core.js';
import { assertHeadlineMatches } from './support/figures.js';
import { baseUrl, siteUrl, useBrowser } from './support/browser.js';

const session = useBrowser();

test('a malformed link names each ignored key with its reason and applies the rest', async (t) => {
  const query = 'v=1&rpd=abc&zzz=1&hw=nope&in=1000&cm=gpt-4o';
  const calculator = await session.open(t, siteUrl(query));
  const notes = await calculator.linkNotes();
  assert.deepEqual(
    notes.map((n) => n.key),
    ['rpd', 'zzz', 'hw'],
    'the banner names each ignored key, in link order',
  );
  assert.match(notes[0].reason, /not a number/);
  assert.match(notes[1].reason, /unknown key/);
  assert.match(notes[2].reason, /not a known hardware/);
  assert.deepEqual(notes, await coreNotes(query), 'the reasons are core’s');

  // The rest of the link applies: the figures are core's for the good keys alone.
  assert.equal(await calculator.value('in'), '1000');
  assert.equal(await calculator.value('cm'), 'gpt-4o');
  assertHeadlineMatches(await calculator.figures(), await coreReport('v=1&in=1000&cm=gpt-4o'));

  // And the page works: an edit applies, and the banner can be dismissed.
  const before = await calculator.text('cloud-monthly');
  await calculator.type('rpd', '25000');
  const search = await calculator.waitForSearch(/[?&]rpd=25000(&|$)/);
  await calculator.waitForChange('cloud-monthly', before);
  assertHeadlineMatches(await calculator.figures(), await coreReport(search), search);
  await calculator.dismissLinkNotes();
  await calculator.hook('link-notes').waitFor({ state: 'detached' });
});

for (const [name, query] of [
  ['a newer version, a repeated key and a bad escape', 'v=2&rpd=5e3&rpd=6000&in=%ZZ&out=300'],
  ['values out of range', 'v=1&growth=500&yrs=0&q=q3&cache=101&hrs=-2&peak=1.5&slots=0'],
  ['bad lists and ids', 'v=1&upg=30000@&w=cost:x&prio=speed&flags=cheap&cm=gpt-99&lm=nope'],
  ['junk', 'v=1&=&&&rpd&%E2%82%AC=1&mode=lease&derive=2&bill=-5'],
]) {
  test(`a malformed link with ${name} leaves a working page`, async (t) => {
    const calculator = await session.open(t, siteUrl(query));
    const expected = await coreNotes(query);
    assert.ok(expected.length > 0, 'core ignores part of this link');
    assert.deepEqual(await calculator.linkNotes(), expected, 'the banner lists what core ignored');
    // The address now holds what applied; the figures are core's for it.
    const search = await calculator.search();
    assert.deepEqual(await coreNotes(search), [], `the rewritten link ${search} is clean`);
    assertHeadlineMatches(await calculator.figures(), await coreReport(search), search);
  });
}

test('view keys stay in the address while editing, and stay out of the share link', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=100&theme=dark'));
  assert.equal(await calculator.theme(), 'dark', 'theme=dark in the link applies');
  await calculator.type('rpd', '300');
  const search = await calculator.waitForSearch(/[?&]rpd=300(&|$)/);
  assert.match(search, /[?&]theme=dark(&|$)/, 'the theme key is kept');
  const link = await calculator.shareLink();
  assert.equal(link, `${baseUrl()}?v=1&rpd=300`, 'the share link is the scenario alone');
  assert.deepEqual(await calculator.linkNotes(), [], 'view keys are not "unknown"');
});

test('the copy button puts the scenario link on the clipboard', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=777&cm=claude-haiku-4-5'), {
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  await calculator.hook('copy-link').click();
  await calculator.hook('copy-link').filter({ hasText: /copied/i }).waitFor();
  const copied = await calculator.page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await calculator.shareLink());
  assert.equal(copied, `${baseUrl()}?v=1&rpd=777&cm=claude-haiku-4-5`);
});
