// Layout: from a 360 px phone to a desktop, in light and dark, nothing makes the page scroll
// sideways; screenshots land in tests/test-results/ for a person to look at. And the theme
// toggle cycles system, light, dark and is remembered.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { resultsDir, siteUrl, useBrowser } from './support/browser.js';

const session = useBrowser();
/** A busy scenario: hybrid rows, warnings, long numbers. */
const BUSY = 'v=1&rpd=50000&in=1500&out=600&cm=gpt-4o&hw=a100-80gb&lm=llama3.1:70b&hyb=60&esc=10&bill=250000&upg=30000@2';

async function checkNoSideScroll(calculator, width, label) {
  const { scrollWidth, offenders } = await calculator.horizontalOverflow();
  assert.ok(
    scrollWidth <= width,
    `${label}: the page is ${scrollWidth} px wide in a ${width} px viewport; sticking out: ${offenders.join(', ')}`,
  );
}

for (const [width, height, colorScheme, theme] of [
  [360, 800, 'light', null],
  [360, 800, 'dark', null],
  [360, 800, 'light', 'dark'],
  [1280, 900, 'light', null],
  [1280, 900, 'dark', null],
]) {
  const label = `${width} px, ${theme ? `${theme} theme chosen` : `system ${colorScheme}`}`;
  test(`no horizontal scroll at ${label}`, async (t) => {
    const calculator = await session.open(t, siteUrl(BUSY), {
      viewport: { width, height },
      colorScheme,
    });
    if (theme) {
      await calculator.setTheme(theme);
    }
    await checkNoSideScroll(calculator, width, label);
    const name = `layout-${width}-${theme ?? colorScheme}`;
    const dir = await resultsDir();
    await calculator.page.screenshot({ path: join(dir, `${name}.png`) });
    await calculator.page.screenshot({ path: join(dir, `${name}-full.png`), fullPage: true });
    // Everything opened: "Show the math", the embed snippet, the price file, the classifier.
    await calculator.openAllDetails();
    await checkNoSideScroll(calculator, width, `${label}, every section open`);
    // A bad value's message under its field.
    await calculator.fill('rpd', 'a very long and wrong value for requests per day');
    await calculator.hook('error-rpd').filter({ hasText: /\S/ }).waitFor();
    await checkNoSideScroll(calculator, width, `${label}, with a field error`);
  });
}

test('no horizontal scroll in embed mode at 360 px', async (t) => {
  const calculator = await session.open(t, siteUrl(`${BUSY}&embed=1`), {
    viewport: { width: 360, height: 800 },
  });
  await checkNoSideScroll(calculator, 360, 'embed at 360 px');
  await calculator.page.screenshot({
    path: join(await resultsDir(), 'layout-360-embed-full.png'),
    fullPage: true,
  });
});

test('the theme toggle cycles system, light and dark, and is remembered', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1'), { colorScheme: 'dark' });
  const toggle = calculator.hook('theme-toggle');
  assert.equal(await calculator.theme(), null, 'the system theme at first');
  const background = () =>
    calculator.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const systemDark = await background();
  await calculator.toggleTheme();
  assert.equal(await calculator.theme(), 'light');
  assert.match(await toggle.textContent(), /light/i, 'the toggle says which theme is on');
  const light = await background();
  assert.notEqual(light, systemDark, 'light looks different from the system’s dark');
  await calculator.toggleTheme();
  assert.equal(await calculator.theme(), 'dark');
  assert.equal(await background(), systemDark, 'dark looks like the system’s dark');
  await calculator.page.reload();
  await calculator.waitForFigures();
  assert.equal(await calculator.theme(), 'dark', 'the choice survives a reload');
  await calculator.toggleTheme();
  assert.equal(await calculator.theme(), null, 'back to the system theme');
  assert.match(await toggle.textContent(), /system/i);
});
