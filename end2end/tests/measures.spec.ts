import {
  acceptInvitation,
  counselorOpensNewCase,
  createInvitationLink,
  expect,
  expectNotFound,
  openCaseSection,
  sectionUrl,
  test,
  visit,
  waitForPageReady,
} from './fixtures';

// Standard questionnaires: the counselor chooses a weekly PHQ-9 for a partner on the case
// page; the partner finds it on their home, answers it on a page of its own (one question
// per group of choices), and an answer above "not at all" to item 9 shows them help at once
// and puts a flag first on the counselor's case page, beside the score and its band.

test('a partner answers a PHQ-9 with item 9 above zero; help at once, the flag first for the counselor', async ({
  page,
  jsEnabled,
  newBrowserPage,
}) => {
  test.setTimeout(180_000);
  const couple = await counselorOpensNewCase(page, jsEnabled, 'M');
  const [avery, blake] = couple.partners;
  const link = await createInvitationLink(page, jsEnabled, couple, 1);

  // 1. The counselor chooses a weekly PHQ-9 for Avery.
  await openCaseSection(page, jsEnabled, couple.caseUrl, 'progress');
  const section = page.getByRole('region', { name: 'Questionnaires', exact: true });
  const card = section.locator('.measure-partner').filter({ hasText: avery.name });
  await card.getByLabel('PHQ-9 (Patient Health Questionnaire)').selectOption({ label: 'Every week' });
  await card.getByRole('button', { name: `Save questionnaires for ${avery.name}` }).click();
  await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}/progress\\?measures=saved(#measures)?$`));
  await waitForPageReady(page, jsEnabled);
  await expect(section.locator('.measure-partner').filter({ hasText: avery.name })).toContainText(
    'PHQ-9 every week',
  );

  // 2. Avery joins and finds it on their home.
  const theirs = await newBrowserPage();
  await acceptInvitation(theirs, jsEnabled, link, avery);
  const due = theirs.getByRole('region', { name: 'Questionnaires from your counselor' });
  await due.getByRole('link', { name: 'PHQ-9: Patient Health Questionnaire' }).click();
  await expect(theirs).toHaveURL(/\/measures\/phq9$/);
  await waitForPageReady(theirs, jsEnabled);
  await expect(
    theirs.getByText('Over the last 2 weeks, how often have you been bothered by any of the following problems?'),
  ).toBeVisible();

  // 3. Avery answers every question; item 9 "Several days".
  const answers = ['Several days', 'More than half the days', 'Several days', 'Several days', 'Not at all',
    'Several days', 'Not at all', 'Not at all', 'Several days'];
  for (const [i, label] of answers.entries()) {
    const group = theirs.getByRole('group', { name: new RegExp(`^${i + 1}\\. `) });
    await group.getByLabel(new RegExp(`^\\s*${label} \\(`)).check();
  }
  await theirs
    .getByRole('group', { name: /how difficult have these problems made it/ })
    .getByLabel('Somewhat difficult')
    .check();
  await theirs.getByRole('button', { name: 'Send my PHQ-9 answers' }).click();
  await expect(theirs).toHaveURL(/\/measures\/phq9\?sent=1$/);
  await waitForPageReady(theirs, jsEnabled);
  const panel = theirs.getByRole('region', { name: 'Help is here if you need it' });
  await expect(panel.getByRole('heading', { name: 'Emergency services' })).toBeVisible();
  await expect(theirs.getByText('Your partner is not told.', { exact: false }).first()).toBeVisible();

  // 4. The counselor: the flag first, the score and its band.
  await visit(page, jsEnabled, sectionUrl(couple.caseUrl, 'progress'));
  const flags = page.getByRole('alert').filter({ hasText: 'Open safety flag' });
  await expect(flags).toContainText(`${avery.name}'s PHQ-9: \u201cSeveral days\u201d to item 9`);
  await expect(section).toContainText('PHQ-9 7 (Mild)');
  await expect(section.getByRole('img', { name: /Patient Health Questionnaire \(PHQ-9, 0.27\)/ })).toBeVisible();

  // 5. Blake, once joined, is asked nothing and cannot open Avery's questionnaire.
  const blakeLink = await createInvitationLink(page, jsEnabled, couple, 2);
  const other = await newBrowserPage();
  await acceptInvitation(other, jsEnabled, blakeLink, blake);
  await expect(other.getByRole('region', { name: 'Questionnaires from your counselor' })).toHaveCount(0);
  await expectNotFound(other, jsEnabled, '/measures/phq9');
});
