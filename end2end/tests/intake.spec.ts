import {
  acceptInvitation,
  counselorOpensNewCase,
  createInvitationLink,
  expect,
  expectNotFound,
  expectNowhere,
  openCaseSection,
  test,
  uniqueMark,
  visit,
  waitForPageReady,
} from './fixtures';

// The intake questionnaire, answered privately before the first session: a new partner
// finds it on their home, saves a draft and comes back to it, and sends it; a worrying
// safety answer shows them help at once and puts a flag first on their counselor's case
// page; the counselor reads the answers; the other partner finds them nowhere.

test('a new partner answers their intake privately; a worrying answer brings help and a flag first', async ({
  page,
  jsEnabled,
  newBrowserPage,
}) => {
  test.setTimeout(180_000);
  const couple = await counselorOpensNewCase(page, jsEnabled, 'I');
  const [avery, blake] = couple.partners;
  const averyLink = await createInvitationLink(page, jsEnabled, couple, 1);
  const blakeLink = await createInvitationLink(page, jsEnabled, couple, 2);
  const theirs = await newBrowserPage();
  await acceptInvitation(theirs, jsEnabled, averyLink, avery);

  // 1. Asked for on the home, before anything else.
  const card = theirs.getByRole('region', { name: 'Before your first session' });
  await expect(card).toContainText('Only your counselor reads your answers.');
  await card.getByRole('link', { name: 'Answer the intake questions' }).click();
  await expect(theirs).toHaveURL(/\/intake$/);
  await waitForPageReady(theirs, jsEnabled);
  await expect(theirs.getByRole('heading', { level: 1, name: 'Before your first session' })).toBeVisible();

  // 2. A draft keeps what is written, and the home says it is started.
  const words = `We have not really spoken since the disclosure ${uniqueMark()}.`;
  await theirs.getByLabel('Your phone number').fill('+353 1 555 0199');
  await theirs.getByLabel(/What brings you to counselling now\?/).fill(words);
  await theirs.getByRole('button', { name: 'Save draft' }).click();
  await expect(theirs).toHaveURL(/\/intake\?saved=1$/);
  await waitForPageReady(theirs, jsEnabled);
  await expect(theirs.getByText('Draft saved.', { exact: true })).toBeVisible();
  await visit(theirs, jsEnabled, '/');
  await theirs.getByRole('link', { name: 'Continue your intake' }).click();
  await waitForPageReady(theirs, jsEnabled);
  await expect(theirs.getByLabel(/What brings you to counselling now\?/)).toHaveValue(words);
  await expect(theirs.getByLabel('Your phone number')).toHaveValue('+353 1 555 0199');

  // 3. Sent with a worrying safety answer: help at once, and what happens next.
  const answer = async (question: RegExp, choice: string) =>
    theirs.getByRole('group', { name: question }).getByLabel(choice, { exact: true }).check();
  await answer(/Do you feel safe at home at the moment\?/, 'Not always');
  await answer(/hurt you physically or threatened to hurt you\?/, 'No');
  await answer(/Are you afraid of your partner\?/, 'I would rather talk about this with my counselor');
  await answer(/thoughts of harming yourself or of ending your life\?/, 'No');
  await theirs.getByRole('button', { name: 'Send to my counselor' }).click();
  await expect(theirs).toHaveURL(/\/intake\?sent=1$/);
  await waitForPageReady(theirs, jsEnabled);
  const panel = theirs.getByRole('region', { name: 'Help is here if you need it' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Emergency services' })).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'When your practice responds' })).toBeVisible();
  await expect(theirs.getByText('Your partner is not told.', { exact: false }).first()).toBeVisible();
  await visit(theirs, jsEnabled, '/');
  await expect(theirs.getByText(/You sent your intake on \d{1,2} \w+ \d{4}/)).toBeVisible();

  // 4. The counselor: the flag first, each partner's intake status, the answers.
  await visit(page, jsEnabled, couple.caseUrl);
  const flags = page.getByRole('alert').filter({ hasText: 'Open safety flag' });
  await expect(flags).toContainText(`${avery.name}'s intake safety screen`);
  await expect(flags).toContainText('Feeling safe at home: Not always');
  // The flag stays above every section until it is acknowledged.
  await openCaseSection(page, jsEnabled, couple.caseUrl, 'partners');
  await expect(flags).toContainText(`${avery.name}'s intake safety screen`);
  const intake = page.getByRole('region', { name: 'Intake questionnaires' });
  await expect(intake).toContainText(new RegExp(`${avery.name} sent their intake on \\d{1,2} \\w+ \\d{4}`));
  await expect(intake).toContainText(`${blake.name} has not joined yet`);
  await intake.getByRole('link', { name: 'Read the partners\u2019 intake answers' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}\/intake$/);
  await waitForPageReady(page, jsEnabled);
  const averys = page.getByRole('article', { name: `${avery.name}'s intake` });
  await expect(averys).toContainText(words);
  await expect(averys).toContainText('+353 1 555 0199');
  await expect(averys).toContainText('I would rather talk about this with my counselor');
  const counselorsPage = new URL(page.url()).pathname;

  // 5. The other partner finds none of it: not on their own intake, home or check-in, and
  //    not at the counselor's address.
  const other = await newBrowserPage();
  await acceptInvitation(other, jsEnabled, blakeLink, blake);
  await expect(other.getByRole('region', { name: 'Before your first session' })).toBeVisible();
  for (const path of ['/', '/intake', '/check-in']) {
    await visit(other, jsEnabled, path);
    await expectNowhere(other, [words, '+353 1 555 0199', 'intake safety screen']);
    await expect(other.getByRole('region', { name: 'Help is here if you need it' })).toHaveCount(0);
  }
  await expectNotFound(other, jsEnabled, counselorsPage);
});
