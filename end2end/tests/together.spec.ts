import type { Page } from '@playwright/test';
import {
  acceptInvitation,
  counselorOpensNewCase,
  createInvitationLink,
  expect,
  expectNotFound,
  openCaseSection,
  sectionUrl,
  startProgram,
  test,
  uniqueSuffix,
  visit,
  waitForPageReady,
} from './fixtures';

// Work done together: the counselor sends step 8's "Drafting our agreements"; the two
// partners write ONE shared answer in their own browsers, each seeing what the other
// changed; the counselor reads every version and turns the answers into draft agreements in
// one click. A partner of another couple finds none of it.

const EXERCISE = {
  title: 'Drafting our agreements',
  option: 'Drafting our agreements (Both partners, together)',
  honesty: 'How will you handle honesty and openness (for example, messages, passwords, plans)?',
  connection: 'How often, and in what way, will you check in with each other?',
};

function item(page: Page, title: string) {
  return page.getByRole('listitem').filter({ has: page.getByRole('link', { name: title, exact: true }) });
}

/** From the partner's home, opens the shared answer; returns its path. */
async function openFromHome(page: Page, jsEnabled: boolean, status: string): Promise<string> {
  await visit(page, jsEnabled, '/');
  const entry = item(page, EXERCISE.title);
  await expect(entry).toContainText(status);
  await entry.getByRole('link', { name: EXERCISE.title, exact: true }).click();
  await expect(page).toHaveURL(/\/together\/[0-9a-f-]{36}$/);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('heading', { level: 1, name: EXERCISE.title })).toBeVisible();
  return new URL(page.url()).pathname;
}

test('two partners write one joint answer; the counselor turns it into draft agreements', async ({
  page,
  pageReady,
  jsEnabled,
  newBrowserPage,
}) => {
  test.setTimeout(180_000);
  const couple = await counselorOpensNewCase(page, jsEnabled, 'T');
  const [avery, blake] = couple.partners;
  const links = [
    await createInvitationLink(page, jsEnabled, couple, 1),
    await createInvitationLink(page, jsEnabled, couple, 2),
  ];
  const averyPage = await newBrowserPage();
  await acceptInvitation(averyPage, jsEnabled, links[0], avery);
  const blakePage = await newBrowserPage();
  await acceptInvitation(blakePage, jsEnabled, links[1], blake);
  const rand = uniqueSuffix();
  const honesty = `We tell each other about any change of plan the same day ${rand}.`;
  const connection = `Ten minutes together every evening, phones away ${rand}.`;

  // 1. The counselor sends it to both, together: one answer, not a copy each.
  await page.reload();
  await pageReady();
  await startProgram(page, jsEnabled, couple);
  const homework = page.getByRole('region', { name: 'Homework' });
  await homework.getByRole('combobox', { name: 'Assign an exercise' }).selectOption({ label: EXERCISE.option });
  await homework.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}/assign\\?template=[^&]+$`));
  await pageReady();
  const forWhom = page.getByLabel('For', { exact: true });
  await expect(forWhom.locator('option')).toHaveText(['Both partners, together (one shared answer)']);
  await expect(page.getByText('This exercise is done together')).toBeVisible();
  await page.getByRole('button', { name: 'Send homework' }).click();
  await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}/homework\\?assigned=1(#homework)?$`));
  await pageReady();
  const row = page
    .getByRole('table', { name: "Both partners' homework, most pressing first" })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: EXERCISE.title, exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Both, together');
  await expect(row).toContainText('Not started');

  // 2. Avery writes the first answer.
  const path = await openFromHome(averyPage, jsEnabled, 'To do together');
  await expect(averyPage.getByText(`You and ${blake.name} write one answer between you.`)).toBeVisible();
  await averyPage.getByLabel(EXERCISE.honesty).fill(honesty);
  await averyPage.getByRole('button', { name: 'Save our answer' }).click();
  await expect(averyPage).toHaveURL(new RegExp(`${path}\\?saved=1$`));
  await waitForPageReady(averyPage, jsEnabled);
  await expect(averyPage.getByRole('status')).toContainText('Saved.');

  // 3. Blake sees Avery's words and what changed, adds to them and sends it.
  expect(await openFromHome(blakePage, jsEnabled, 'Started together')).toBe(path);
  const changes = blakePage.getByRole('region', { name: `What ${avery.name} changed since you last saved` });
  await expect(changes).toContainText(`Now: ${honesty}`);
  await expect(blakePage.getByLabel(EXERCISE.honesty)).toHaveValue(honesty);
  await blakePage.getByLabel(EXERCISE.connection).fill(connection);
  await blakePage.getByRole('button', { name: 'Save and send to our counselor' }).click();
  await expect(blakePage).toHaveURL(new RegExp(`${path}\\?sent=1$`));
  await waitForPageReady(blakePage, jsEnabled);
  await expect(blakePage.getByRole('status')).toContainText('Saved and sent to your counselor.');

  // 4. Avery sees Blake's edit, and both versions are kept.
  await visit(averyPage, jsEnabled, path);
  const theirs = averyPage.getByRole('region', { name: `What ${blake.name} changed since you last saved` });
  await expect(theirs).toContainText(`Now: ${connection}`);
  await expect(averyPage.getByRole('heading', { level: 2, name: 'Every version (2)' })).toBeVisible();
  await expect(averyPage.getByText(/Sent to your counselor on .* \(version 2\)/)).toBeVisible();

  // 5. The counselor reads it and makes draft agreements in one click.
  await visit(page, jsEnabled, sectionUrl(couple.caseUrl, 'homework'));
  await expect(row).toContainText('Sent to you');
  await row.getByRole('link', { name: EXERCISE.title, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await pageReady();
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(`Newest: Version 2, saved by ${blake.name}`) })).toBeVisible();
  const drafting = page.getByRole('region', { name: 'Draft agreements from these answers' });
  await expect(drafting.getByRole('checkbox')).toHaveCount(2);
  await drafting.getByRole('button', { name: 'Make draft agreements' }).click();
  await expect(page).toHaveURL(new RegExp(`${path}\\?agreements=1#agreements$`));
  await pageReady();
  await expect(drafting.getByRole('status')).toContainText('Draft agreements made.');
  await expect(drafting.getByRole('button', { name: 'Make draft agreements' })).toHaveCount(0);
  await openCaseSection(page, jsEnabled, couple.caseUrl, 'agreements');
  const agreements = page.getByRole('region', { name: 'Agreements' });
  await expect(agreements).toContainText(honesty);
  await expect(agreements).toContainText(connection);

  // 6. Nobody outside the couple reaches it.
  const stranger = await newBrowserPage();
  const other = await counselorOpensNewCase(stranger, jsEnabled, 'U');
  const link = await createInvitationLink(stranger, jsEnabled, other, 1);
  const outsider = await newBrowserPage();
  await acceptInvitation(outsider, jsEnabled, link, other.partners[0]);
  await expectNotFound(outsider, jsEnabled, path);
});
