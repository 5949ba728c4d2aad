// Embed mode: `?embed=1&panels=...` drops the site chrome, links to the full page and posts
// its height to the parent; public/embed-example.html and the generated snippet use it from a
// page of another origin (a second 127.0.0.1 server on another port).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EmbeddingPage } from './pages/embed-example.js';
import { serveDirectory } from './support/server.js';
import { baseUrl, siteUrl, subPathUrl, useBrowser } from './support/browser.js';

const session = useBrowser();
/** public/, served on its own port: another origin than the site's. */
let other;

before(async () => {
  other = await serveDirectory(fileURLToPath(new URL('../public/', import.meta.url)));
  assert.notEqual(new URL(other.url).origin, new URL(baseUrl()).origin);
  // At its root, a stand-in for a calculator beside the example page, posting a height as the
  // real one does.
  other.pages.set(
    '/',
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>stand-in</title><link rel="icon" href="data:,"></head>
<body><script>parent.postMessage({type: "crossover:height", height: 321}, "*");</script></body></html>`,
  );
});

after(async () => {
  await other?.close();
});

/** Opens a page of the other origin that embeds the calculator; closed after the test. */
async function openEmbedding(t, url) {
  const embedding = await EmbeddingPage.launch(session.browser(), url);
  t.after(() => embedding.close());
  return embedding;
}

/** The example page embedding the calculator at `calculator`. */
function exampleUrl(calculator) {
  return `${other.url}embed-example.html?calculator=${encodeURIComponent(calculator)}`;
}

test('the embed example on another origin receives the height and sizes the iframe', async (t) => {
  const calculator = siteUrl('v=1&rpd=20000&embed=1&panels=figures,charts');
  const embedding = await openEmbedding(t, exampleUrl(calculator));
  assert.equal(await embedding.iframeSrc(), calculator);
  await embedding.calculator.getByTestId('cloud-monthly').filter({ hasText: /\d/ }).waitFor();
  // The charts come a moment after the figures (the module that draws them loads as they near
  // the screen), and the height with them: the frame shows the whole calculator, with nothing
  // cut off and no inner scroll bar, once it has been sized for them.
  await embedding.calculator.getByTestId('chart-cost').waitFor();
  const fitted = await embedding.waitForFit();
  const height = await embedding.waitForHeight({ min: 200 });
  assert.equal(await embedding.iframeHeight(), height, 'the iframe is as tall as it was told');
  assert.equal(await embedding.heightText(), String(height), '#height shows the last height');
  assert.equal(await embedding.heightText(), String(fitted), '#height follows the iframe');
  assert.equal(await embedding.calculator.getByTestId('chart-cost').count(), 1);
});

test('the embedded calculator posts a new height when its content grows or shrinks', async (t) => {
  const calculator = siteUrl('v=1&embed=1&panels=figures');
  const embedding = await openEmbedding(t, exampleUrl(calculator));
  const first = await embedding.waitForHeight({ min: 200 });
  const math = embedding.calculator.getByTestId('math-cloud-monthly').locator('summary');
  await math.click();
  const grown = await embedding.waitForHeight({ min: first });
  await math.click();
  // Closed again, the calculator is as tall as at first, and so must the iframe be.
  const shrunk = await embedding.waitForHeight({ max: grown, timeout: 5000 }).catch(() => null);
  assert.equal(
    shrunk ?? Number(await embedding.heightText()),
    first,
    `after growing to ${grown} px the embed posts its height again when its content shrinks`,
  );
});

test('the embed example defaults to the calculator beside it', async (t) => {
  const embedding = await openEmbedding(t, `${other.url}embed-example.html`);
  assert.equal(await embedding.iframeSrc(), `${other.url}?embed=1&panels=figures,charts`);
  assert.equal(await embedding.waitForHeight({ min: 300 }), 321);
});

test('the embed example shipped in dist/ embeds the calculator beside it', async (t) => {
  for (const site of [baseUrl(), subPathUrl()].filter(Boolean)) {
    const embedding = await openEmbedding(t, `${site}embed-example.html`);
    assert.equal(await embedding.iframeSrc(), `${site}?embed=1&panels=figures,charts`);
    await embedding.calculator.getByTestId('cloud-monthly').filter({ hasText: /\d/ }).waitFor();
    await embedding.waitForHeight({ min: 200 });
    await embedding.waitForFit();
  }
});

test('the embed example refuses a script URL for the calculator', async (t) => {
  const embedding = await openEmbedding(t, exampleUrl('javascript:alert(1)'));
  assert.match(await embedding.iframeSrc(), /^http:\/\/127\.0\.0\.1:\d+\/\?embed=1/);
});

test('embed mode drops the site chrome, shows the chosen panels and links to the full page', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=20000&embed=1&panels=figures,charts'));
  assert.equal(await calculator.has('theme-toggle'), false, 'no site header');
  assert.equal(await calculator.has('share-link'), false, 'no share panel');
  assert.equal(await calculator.has('catalog'), false, 'no catalog');
  assert.equal(await calculator.has('input-rpd'), false, 'the inputs panel is not chosen');
  assert.equal(await calculator.has('decision-table'), false, 'the decision panel is not chosen');
  assert.equal(await calculator.has('chart-cost'), true, 'the charts panel is chosen');
  const open = calculator.hook('open-full');
  assert.equal(await open.getAttribute('href'), `${baseUrl()}?v=1&rpd=20000`);
  assert.equal(await open.getAttribute('target'), '_blank');
  assert.match((await open.getAttribute('rel')) ?? '', /noopener/);
});

for (const width of [1000, 360]) {
  test(`an embed without the inputs panel gives the results the full width at ${width} px`, async (t) => {
    const calculator = await session.open(t, siteUrl('v=1&rpd=20000&embed=1&panels=figures,charts'), {
      viewport: { width, height: 800 },
    });
    await calculator.waitForFigures();
    const column = await calculator.resultsColumn();
    assert.ok(Math.abs(column.left - column.mainLeft) < 1, `results start at the left: ${JSON.stringify(column)}`);
    assert.ok(Math.abs(column.width - column.mainWidth) < 1, `results fill the width: ${JSON.stringify(column)}`);
  });
}

test('embed mode without panels shows every panel but no chrome', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&embed=1'));
  for (const hook of ['input-rpd', 'cloud-monthly', 'chart-cost', 'cost-row-cloud', 'fit-table',
    'tco-cloud', 'decision-table', 'hybrid-table', 'sensitivity-table', 'open-full']) {
    assert.equal(await calculator.has(hook), true, `${hook} is shown`);
  }
  assert.equal(await calculator.has('theme-toggle'), false);
  // Editing inside the embed keeps it an embed.
  await calculator.type('rpd', '900');
  const search = await calculator.waitForSearch(/[?&]rpd=900(&|$)/);
  assert.match(search, /[?&]embed=1(&|$)/);
});

test('the generated snippet works pasted into a page of another origin', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=3000'));
  await calculator.type('rpd', '4500');
  await calculator.waitForSearch(/[?&]rpd=4500(&|$)/);
  const snippet = await calculator.embedSnippet();
  assert.match(snippet, /<iframe [^>]*src="[^"]*embed=1/);
  other.pages.set('/snippet.html', `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Docs</title><link rel="icon" href="data:,"></head><body><h1>Our docs</h1>${snippet}</body></html>`);

  const embedding = await openEmbedding(t, `${other.url}snippet.html`);
  const src = new URL(await embedding.iframeSrc());
  assert.equal(src.origin + src.pathname, baseUrl());
  assert.equal(src.searchParams.get('rpd'), '4500', 'the snippet embeds the current scenario');
  assert.equal(src.searchParams.get('embed'), '1');
  await embedding.calculator.getByTestId('cloud-monthly').filter({ hasText: /\d/ }).waitFor();
  assert.equal(
    await embedding.calculator.getByTestId('cloud-monthly').textContent(),
    await calculator.text('cloud-monthly'),
    'the embed shows the same figures',
  );
  await embedding.waitForSizedIframe(200);
  // Sized by the snippet's own script: the calculator fits with no inner scrolling.
  await embedding.waitForFit();
});

test('an embed with the live measurement carries the local-network permission into its iframe', async (t) => {
  const calculator = await session.open(t, siteUrl('v=1&rpd=3000'));
  const plain = await calculator.embedSnippet();
  assert.doesNotMatch(plain, /allow=/, 'no permission without the measurement');
  await calculator.chooseEmbedPanel('measure');
  const snippet = await calculator.embedSnippet();
  assert.match(snippet, / allow="local-network-access; local-network; loopback-network"/);
  assert.match(snippet, /panels=inputs,figures,charts,measure"/);
  assert.match(snippet, /^<!-- allow: lets the live measurement reach the reader's own server/);

  const policy = async (html) => {
    other.pages.set('/measure.html', `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Docs</title><link rel="icon" href="data:,"></head><body>${html}</body></html>`);
    const embedding = await openEmbedding(t, `${other.url}measure.html`);
    await embedding.calculator.getByTestId('cloud-monthly').filter({ hasText: /\d/ }).waitFor();
    // The panels below the figures, the measurement's among them, are drawn as they near the screen.
    await embedding.calculator.getByTestId('panels-root').locator('section').first().waitFor();
    const frame = embedding.page.frames().find((f) => f !== embedding.page.mainFrame());
    return {
      measure: await embedding.calculator.getByTestId('measure-section').count(),
      // What the iframe's document may use, by its own permissions policy.
      allowed: await frame.evaluate(() => document.featurePolicy.allowedFeatures()),
    };
  };
  const withMeasure = await policy(snippet);
  assert.equal(withMeasure.measure, 1, 'the measurement panel is in the embed');
  assert.ok(withMeasure.allowed.includes('local-network-access'), withMeasure.allowed.join(' '));
  const without = await policy(plain);
  assert.equal(without.measure, 0, 'no measurement panel without it');
  assert.ok(!without.allowed.includes('local-network-access'), 'no permission without the attribute');
});

