import {
  counselorOpensNewCase,
  createInvitationLink,
  demo,
  expect,
  expectNotFound,
  expectNowhere,
  newPassword,
  openCaseSection,
  pathOf,
  signConsent,
  test,
  visit,
  waitForPageReady,
} from './fixtures';

// Informed consent before the first word: a partner who has just joined lands on the
// practice's consent and can open nothing else until they sign it (ticking "I have read and
// agree" and typing their full name); their counselor then sees who signed which version
// and opens a printable record of the signature.

test('a new partner signs the consent before anything opens; the counselor sees it', async ({
  page,
  jsEnabled,
  newBrowserPage,
  newBrowserPageAs,
}) => {
  test.setTimeout(180_000);
  const couple = await counselorOpensNewCase(page, jsEnabled, 'C');
  const [first, second] = couple.partners;
  const link = await createInvitationLink(page, jsEnabled, couple, 1);

  // 1. The partner accepts their invitation and lands on the consent, not their home.
  const theirs = await newBrowserPage();
  await visit(theirs, jsEnabled, pathOf(link));
  const password = newPassword();
  await theirs.getByLabel('Choose a password').fill(password);
  await theirs.getByLabel('Confirm password').fill(password);
  await theirs.getByRole('button', { name: 'Create my account' }).click();
  await expect(theirs).toHaveURL(/\/consent\?welcome=1$/);
  await waitForPageReady(theirs, jsEnabled);
  await expect(theirs.getByRole('heading', { level: 1, name: 'Consent for counselling' })).toBeVisible();
  await expect(theirs.getByRole('heading', { name: 'What your counselor sees' })).toBeVisible();
  await expect(theirs.getByRole('heading', { name: 'Emergencies' })).toBeVisible();

  // 2. Homework, check-in and home all send them back to the consent.
  for (const path of ['/', '/check-in', '/agreements', '/settings']) {
    await visit(theirs, jsEnabled, path);
    await expect(theirs).toHaveURL(/\/consent$/);
    await expect(theirs.getByRole('heading', { level: 1, name: 'Consent for counselling' })).toBeVisible();
  }
  // Crisis help stays one click away.
  await theirs.getByRole('banner').getByRole('link', { name: 'Get help now' }).click();
  await expect(theirs).toHaveURL(/\/help$/);
  await waitForPageReady(theirs, jsEnabled);

  // 3. With the box ticked and their name typed, they are in.
  await visit(theirs, jsEnabled, '/consent');
  await signConsent(theirs, `${first.name} (signed)`);
  await expect(theirs).toHaveURL(/\/\?consented=1$/);
  await waitForPageReady(theirs, jsEnabled);
  await expect(theirs.getByRole('heading', { level: 1, name: `Welcome, ${first.first}` })).toBeVisible();
  await visit(theirs, jsEnabled, '/check-in');
  await expect(theirs).toHaveURL(/\/check-in$/);

  // 4. The counselor sees both partners' consent on the case page and opens the record.
  await openCaseSection(page, jsEnabled, couple.caseUrl, 'partners');
  const consent = page.getByRole('region', { name: 'Consent' });
  await expect(consent).toContainText(new RegExp(`${first.name} signed version \\d+ on \\d{1,2} \\w{3} \\d{4}`));
  await expect(consent).toContainText(`${second.name} has not joined yet`);
  await consent.getByRole('link', { name: /Record of version \d+/ }).click();
  await expect(page).toHaveURL(/\/consent\/records\/[0-9a-f-]{36}$/);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('heading', { level: 1, name: 'Record of a consent signature' })).toBeVisible();
  await expect(page.getByText(`${first.name} (signed)`, { exact: true })).toBeVisible();
  await expect(page.locator('code.fingerprint')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByRole('heading', { name: 'Secrets between sessions' })).toBeVisible();
  const record = new URL(page.url()).pathname;

  // 5. The partner opens their own record too; a partner of another couple cannot.
  await visit(theirs, jsEnabled, record);
  await expect(theirs.getByRole('heading', { level: 1, name: 'Record of a consent signature' })).toBeVisible();
  const sam = await newBrowserPageAs(demo.sam);
  await expectNotFound(sam, jsEnabled, record);
  await expectNowhere(sam, [`${first.name} (signed)`]);
});
