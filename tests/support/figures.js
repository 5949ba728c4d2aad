// Reading the headline figures as the page writes them, and comparing them with core's report
// at the precision shown.

import assert from 'node:assert/strict';

/** The headline figures, by data-testid. */
export const HEADLINE = [
  'cloud-monthly',
  'local-monthly',
  'local-units',
  'payback-months',
  'breakeven-rpd',
  'tco-savings',
  'recommendation',
  'decision-margin',
];

/**
 * A number as the page writes it: `$1,234.56`, `-$122.56`, `$450,000`, `9,813 requests/day`,
 * `35.1 months`, `3.0 points`, `2`. Returns the value and the number of decimals shown, or
 * `null` for the words that mean "no value" (`never`, `none`).
 *
 * @returns {{value: number, decimals: number} | null}
 */
export function parseShown(text) {
  const trimmed = text.trim();
  if (/^(never|none)$/i.test(trimmed)) {
    return null;
  }
  const match = /^(-)?\$?(-)?([\d,]+)(?:\.(\d+))?(?:\s+\S.*)?$/.exec(trimmed);
  assert.ok(match, `"${text}" is not a number as the page writes them`);
  const [, sign1, sign2, whole, fraction = ''] = match;
  const digits = `${whole.replaceAll(',', '')}${fraction ? `.${fraction}` : ''}`;
  const value = Number(digits) * (sign1 || sign2 ? -1 : 1);
  return { value, decimals: fraction.length };
}

/**
 * Asserts that `shown` (a figure's text) is `expected` (a number from core, or null for none)
 * rounded to the decimals shown: within half a unit of the last digit.
 */
export function assertShownEquals(shown, expected, label) {
  const parsed = parseShown(shown);
  if (expected === null || expected === undefined) {
    assert.equal(parsed, null, `${label}: the page shows "${shown}", core has no value`);
    return;
  }
  assert.notEqual(parsed, null, `${label}: the page shows "${shown}", core has ${expected}`);
  const unit = 10 ** -parsed.decimals;
  const tolerance = unit / 2 + Math.abs(expected) * 1e-12 + 1e-9;
  assert.ok(
    Math.abs(parsed.value - expected) <= tolerance,
    `${label}: the page shows "${shown}" (${parsed.value}), core has ${expected}`,
  );
}

/**
 * Asserts that the headline figures (by data-testid, as text) are core's report for the same
 * scenario.
 */
export function assertHeadlineMatches(figures, report, context = '') {
  const at = context ? ` (${context})` : '';
  assertShownEquals(figures['cloud-monthly'], report.cloud.monthly_usd, `cloud-monthly${at}`);
  assertShownEquals(figures['local-monthly'], report.local.monthly_usd, `local-monthly${at}`);
  assertShownEquals(figures['local-units'], report.local.units, `local-units${at}`);
  assertShownEquals(
    figures['payback-months'],
    report.break_even.payback_months,
    `payback-months${at}`,
  );
  assertShownEquals(figures['breakeven-rpd'], report.break_even.volume_rpd, `breakeven-rpd${at}`);
  assertShownEquals(figures['tco-savings'], report.tco.savings_usd, `tco-savings${at}`);
  assert.equal(
    figures.recommendation.trim(),
    report.decision.recommendation,
    `recommendation${at}`,
  );
  assertShownEquals(figures['decision-margin'], report.decision.margin, `decision-margin${at}`);
}
