import type { Page } from '@playwright/test';
import {
  type CheckInAnswers,
  ALEX_CHECK_IN,
  demo,
  DEMO_CASE,
  demoAgreements,
  expect,
  openCaseFromCaseload,
  openCaseSection,
  sendCheckIn,
  signInAs,
  test,
  uniqueMark,
  visit,
  waitForPageReady,
} from './fixtures';

// Check-ins: Alex and Sam (the demo couple, with eight weeks of check-ins behind them) each
// check in this week in their own browser, saying how they kept each of their agreements
// (however many there are: the agreements spec may be adding some at the same time); Sam's
// safety answer reaches the counselor's dashboard and never Alex; the counselor sees both
// partners' lines on the same chart with a divergence flag, and prints the progress report.

async function checkIn(page: Page, jsEnabled: boolean, answers: CheckInAnswers) {
  await page.getByRole('link', { name: 'Check in now' }).click();
  await expect(page).toHaveURL(/\/check-in$/);
  await waitForPageReady(page, jsEnabled);
  // The demo couple has agreements (and other specs may be adding more right now): the
  // form asks about each one, and every answer is required.
  const asked = await sendCheckIn(page, jsEnabled, answers);
  expect(asked).toContain(demoAgreements.sundayTalk);
  expect(asked).toContain(demoAgreements.contact);
}

test('both partners check in; the counselor sees both lines, the divergence and the safety flag; the report prints', async ({
  page,
  pageReady,
  jsEnabled,
  newBrowserPageAs,
}, testInfo) => {
  test.setTimeout(90_000);
  const mark = uniqueMark();
  const samText = `SAM-PRIVATE-${mark}`;

  const alex = await newBrowserPageAs(demo.alex);
  await checkIn(alex, jsEnabled, { ...ALEX_CHECK_IN, wasHard: `ALEX-${mark}` });

  const sam = await newBrowserPageAs(demo.sam);
  await checkIn(sam, jsEnabled, {
    trust: '4',
    hope: '6',
    wasHard: samText,
    safety: "I'd rather talk to my counselor privately",
  });

  // Alex sees nothing of Sam's check-in.
  await visit(alex, jsEnabled, '/check-in');
  expect(await alex.content()).not.toContain(samText);
  await visit(alex, jsEnabled, '/');
  expect(await alex.content()).not.toContain(samText);

  // The counselor: the flag is on the dashboard at once.
  await signInAs(page, jsEnabled, demo.counselor);
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: DEMO_CASE, exact: true }) });
  await expect(row).toContainText(/safety flags? to look at/);
  const caseUrl = await openCaseFromCaseload(page, jsEnabled);
  // The overview says it before anything else: the open flag, and where their reads differ.
  await expect(page.getByRole('alert').filter({ hasText: 'Open safety flag' })).toBeVisible();
  const latest = page.getByRole('region', { name: 'Latest check-ins' });
  await expect(latest).toContainText(`Alex Rivera · week of`);
  await expect(latest).toContainText('Diverging trust reads: Alex Rivera reads Sam Rivera');
  await openCaseSection(page, jsEnabled, caseUrl, 'progress');
  const checkIns = page.getByRole('region', { name: 'Check-ins' });
  await expect(checkIns.getByRole('alert')).toContainText('safety flag');
  await expect(checkIns).toContainText('I\'d rather talk to my counselor privately');
  await expect(checkIns).toContainText('Diverging trust reads: Alex Rivera reads Sam Rivera');
  // Both partners' lines on the same trust chart, with a text summary.
  const trust = checkIns.getByRole('img', { name: /Trust this week/ });
  await expect(trust).toBeVisible();
  await expect(trust.locator('polyline')).toHaveCount(2);
  await expect(checkIns.getByRole('table', { name: /Check-ins by week/ })).toContainText(
    `${ALEX_CHECK_IN.trust} / ${ALEX_CHECK_IN.hope} / `,
  );
  await expect(checkIns.getByRole('table', { name: /Check-ins by week/ })).toContainText('4 / 6 / ');
  const legend = checkIns.locator('.legend').first();
  await expect(legend).toContainText('Alex Rivera');
  await expect(legend).toContainText('Sam Rivera');

  // The printable report.
  await checkIns.getByRole('link', { name: 'Printable progress report' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}\/report$/);
  await pageReady();
  await expect(page.getByRole('heading', { level: 1, name: 'Progress report: Alex & Sam' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Homework completion' })).toBeVisible();
  await expect(page.getByRole('img', { name: /Relationship satisfaction/ })).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Update the report' })).toBeHidden();
  const shot = await page.screenshot({ fullPage: true });
  await testInfo.attach('printed report', { body: shot, contentType: 'image/png' });
  expect(shot.length).toBeGreaterThan(10_000);
});
