import type { Page } from '@playwright/test';
import {
  type Couple,
  type Partner,
  acceptInvitation,
  counselorOpensNewCase,
  createInvitationLink,
  demo,
  expect,
  expectNotFound,
  expectNowhere,
  openCaseSection,
  sectionUrl,
  startProgram,
  test,
  uniqueSuffix,
  visit,
  waitForPageReady,
} from './fixtures';

// Homework: a counselor starts a couple on the program and sends them an exercise; each
// partner answers in their own browser and chooses who may read it; the counselor reviews
// with feedback only that partner reads. Every test runs in both projects (`js` and
// `nojs`) against one shared server and database, so every test makes its own couple, with
// names, emails and answer texts no other test (or run) uses, and never counts anything
// beyond its own couple.

/** The built-in program's step-1 exercise meant for both partners, and its text questions. */
const BOTH_EXERCISE = {
  title: 'After the account is shared',
  option: 'After the account is shared (Both partners)',
  textQuestions: [
    'How did that conversation land for you?',
    'Does anything still feel unclear or unsaid?',
  ],
  rating: 'How steady do you feel after that conversation?',
};

/** The counselor opens a case and the given partners join, each in their own browser. */
async function coupleWithPartnersJoined(
  page: Page,
  jsEnabled: boolean,
  newBrowserPage: () => Promise<Page>,
  positions: (1 | 2)[],
): Promise<{ couple: Couple; partnerPages: Page[] }> {
  const couple = await counselorOpensNewCase(page, jsEnabled, 'H');
  const links: string[] = [];
  for (const position of positions) links.push(await createInvitationLink(page, jsEnabled, couple, position));
  const partnerPages: Page[] = [];
  for (const [i, position] of positions.entries()) {
    const theirs = await newBrowserPage();
    await acceptInvitation(theirs, jsEnabled, links[i], couple.partners[position - 1]);
    partnerPages.push(theirs);
  }
  return { couple, partnerPages };
}

/** The couple's homework board on the case page, and one partner's row of a title in it. */
function board(page: Page) {
  return page.getByRole('table', { name: "Both partners' homework, most pressing first" });
}
function boardRow(page: Page, title: string, partner: Partner) {
  return board(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: title, exact: true }) })
    .filter({ has: page.getByRole('cell', { name: partner.name, exact: true }) });
}

/** On the partner's home: the item of their homework list with this title. */
function homeworkItem(page: Page, title: string) {
  return page
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: title, exact: true }) });
}

/** Opens the partner's home, then their copy of the homework; returns its id. */
async function openHomeworkFromHome(
  page: Page,
  jsEnabled: boolean,
  title: string,
  status: string,
): Promise<string> {
  await visit(page, jsEnabled, '/');
  await expect(page.getByRole('heading', { level: 2, name: 'Your homework' })).toBeVisible();
  const item = homeworkItem(page, title);
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(status);
  await item.getByRole('link', { name: title, exact: true }).click();
  await expect(page).toHaveURL(/\/homework\/[0-9a-f-]{36}$/);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** On a homework page: answers every written question with text carrying the marker,
 *  rates, chooses who may read it and submits. */
async function answerAndSubmit(
  page: Page,
  jsEnabled: boolean,
  marker: string,
  who: 'My counselor only' | 'My counselor and my partner',
) {
  for (const question of BOTH_EXERCISE.textQuestions) {
    await expect(page.getByLabel(question, { exact: true })).toBeVisible();
  }
  const boxes = page.locator('form textarea');
  const count = await boxes.count();
  expect(count).toBeGreaterThanOrEqual(BOTH_EXERCISE.textQuestions.length);
  for (let i = 0; i < count; i++) await boxes.nth(i).fill(`${marker} answer ${i + 1}`);
  await page
    .getByRole('group', { name: BOTH_EXERCISE.rating })
    .getByRole('radio', { name: '6', exact: true })
    .check();

  const visibility = page.getByRole('group', { name: 'Who can read this answer?' });
  // Nobody's answer is shared unless they choose so.
  await expect(visibility.getByRole('radio', { name: 'My counselor only' })).toBeChecked();
  await visibility.getByRole('radio', { name: who }).check();
  await page.getByRole('button', { name: 'Submit', exact: true }).click();

  await expect(page).toHaveURL(/\/homework\/[0-9a-f-]{36}\?submitted=1$/);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('status')).toContainText('Submitted.');
  await expect(page.getByText(`(${who.toLowerCase()})`)).toBeVisible();
  await expect(page.getByLabel(BOTH_EXERCISE.textQuestions[0], { exact: true })).toHaveValue(
    `${marker} answer 1`,
  );
  await expect(
    page.getByRole('group', { name: 'Who can read this answer?' }).getByRole('radio', { name: who }),
  ).toBeChecked();
}

/** The counselor reviews one partner's submission from the case page's board. */
async function reviewFromBoard(
  page: Page,
  jsEnabled: boolean,
  couple: Couple,
  partner: Partner,
  assignmentId: string,
  expected: { marker: string; visibleTo: string; feedback: string },
) {
  await visit(page, jsEnabled, sectionUrl(couple.caseUrl, 'homework'));
  const row = boardRow(page, BOTH_EXERCISE.title, partner);
  await expect(row).toContainText('Awaiting review');
  await row.getByRole('link', { name: BOTH_EXERCISE.title, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/assignments/${assignmentId}$`));
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('heading', { level: 1, name: BOTH_EXERCISE.title })).toBeVisible();
  await expect(page.getByText(`For ${partner.name} · No due date · Awaiting review`)).toBeVisible();
  await expect(page.getByText(`${expected.marker} answer 1`, { exact: true })).toBeVisible();
  await expect(page.getByText(`${expected.marker} answer 2`, { exact: true })).toBeVisible();
  await expect(page.getByText('6 out of 10')).toBeVisible();
  await expect(page.getByText(`Visible to: ${expected.visibleTo}`)).toBeVisible();

  await page
    .getByLabel(`Feedback for ${partner.name} (only they will see it)`, { exact: true })
    .fill(expected.feedback);
  await page.getByRole('button', { name: 'Mark reviewed' }).click();
  await expect(page).toHaveURL(new RegExp(`/assignments/${assignmentId}\\?reviewed=1$`));
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('status')).toHaveText('Marked reviewed.');
  await expect(page.getByRole('heading', { level: 2, name: 'Your feedback' })).toBeVisible();
  await expect(page.getByText(expected.feedback, { exact: true })).toBeVisible();
}

test.describe('homework', () => {
  test('both partners answer a step-1 exercise; only what is shared reaches the other; feedback stays personal', async ({
    page,
    pageReady,
    jsEnabled,
    newBrowserPage,
  }) => {
    test.setTimeout(90_000);
    const { couple, partnerPages } = await coupleWithPartnersJoined(
      page,
      jsEnabled,
      newBrowserPage,
      [1, 2],
    );
    const [avery, blake] = couple.partners;
    const [averyPage, blakePage] = partnerPages;
    const rand = uniqueSuffix();
    const privateMarker = `A-PRIVATE-${rand}`;
    const sharedMarker = `B-SHARED-${rand}`;
    const feedbackA = `FB-A-${rand}: thank you for staying with the hard parts.`;
    const feedbackB = `FB-B-${rand}: it took courage to share this.`;

    // 1. The counselor starts the program and sends a step-1 exercise to both partners.
    await page.reload();
    await pageReady();
    await startProgram(page, jsEnabled, couple);
    const homework = page.getByRole('region', { name: 'Homework' });
    await expect(homework.getByText('No homework assigned yet.')).toBeVisible();
    const pick = homework.getByRole('combobox', { name: 'Assign an exercise' });
    // The current step's exercises come first.
    await expect(pick.locator('optgroup').first()).toHaveAttribute(
      'label',
      'Step 1: Take full responsibility',
    );
    await expect(
      pick.locator('optgroup').first().locator('option', { hasText: BOTH_EXERCISE.option }),
    ).toHaveCount(1);
    await pick.selectOption({ label: BOTH_EXERCISE.option });
    await homework.getByRole('button', { name: 'Continue' }).click();

    await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}/assign\\?template=[^&]+$`));
    await pageReady();
    await expect(page.getByRole('heading', { level: 1, name: 'Assign homework' })).toBeVisible();
    await expect(page.getByText('From step 1 of the program')).toBeVisible();
    await expect(page.getByLabel('Title', { exact: true })).toHaveValue(BOTH_EXERCISE.title);
    await expect(page.getByLabel('Instructions', { exact: true })).not.toHaveValue('');
    const forWhom = page.getByLabel('For', { exact: true });
    await expect(forWhom.locator('option')).toHaveText([
      'Both partners (each answers their own copy)',
      `${avery.name} only`,
      `${blake.name} only`,
    ]);
    await forWhom.selectOption({ label: 'Both partners (each answers their own copy)' });
    await page.getByRole('button', { name: 'Send homework' }).click();

    await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}/homework\\?assigned=1(#homework)?$`));
    await pageReady();
    await expect(page.getByRole('region', { name: 'Homework' }).getByRole('status')).toHaveText(
      'Homework sent.',
    );
    for (const partner of couple.partners) {
      const row = boardRow(page, BOTH_EXERCISE.title, partner);
      await expect(row).toHaveCount(1);
      await expect(row).toContainText('Not submitted');
      await expect(row).toContainText('step 1');
    }

    // 2. Avery answers for the counselor only.
    const averyId = await openHomeworkFromHome(averyPage, jsEnabled, BOTH_EXERCISE.title, 'To do');
    await answerAndSubmit(averyPage, jsEnabled, privateMarker, 'My counselor only');

    // 3. Blake answers and shares with Avery too.
    const blakeId = await openHomeworkFromHome(blakePage, jsEnabled, BOTH_EXERCISE.title, 'To do');
    expect(blakeId).not.toBe(averyId);
    await answerAndSubmit(blakePage, jsEnabled, sharedMarker, 'My counselor and my partner');
    expect(await blakePage.content()).not.toContain(privateMarker);

    // 4. Avery reads what Blake shared.
    await visit(averyPage, jsEnabled, '/');
    await expect(homeworkItem(averyPage, BOTH_EXERCISE.title)).toContainText('Submitted');
    await expect(
      averyPage.getByRole('heading', { level: 2, name: 'Shared with you by your partner' }),
    ).toBeVisible();
    const shared = averyPage.locator('article').filter({
      has: averyPage.getByRole('heading', { level: 3, name: BOTH_EXERCISE.title }),
    });
    await expect(shared).toHaveCount(1);
    await expect(shared).toContainText(`${blake.name} shared this on`);
    await expect(shared.getByText(`${sharedMarker} answer 1`, { exact: true })).toBeVisible();
    await expect(shared.getByText(`${sharedMarker} answer 2`, { exact: true })).toBeVisible();
    await expect(shared).toContainText(BOTH_EXERCISE.textQuestions[0]);

    // 5. Blake never sees Avery's private answer, not even through its address.
    await visit(blakePage, jsEnabled, '/');
    await expect(homeworkItem(blakePage, BOTH_EXERCISE.title)).toContainText('Submitted');
    await expect(
      blakePage.getByRole('heading', { level: 2, name: 'Shared with you by your partner' }),
    ).toHaveCount(0);
    await expectNowhere(blakePage, [privateMarker]);
    await expectNotFound(blakePage, jsEnabled, `/homework/${averyId}`);
    expect(await blakePage.content()).not.toContain(privateMarker);

    // 6. The counselor reviews both, with feedback for each.
    await reviewFromBoard(page, jsEnabled, couple, avery, averyId, {
      marker: privateMarker,
      visibleTo: 'their counselor only',
      feedback: feedbackA,
    });
    await reviewFromBoard(page, jsEnabled, couple, blake, blakeId, {
      marker: sharedMarker,
      visibleTo: 'their counselor and',
      feedback: feedbackB,
    });
    await visit(page, jsEnabled, sectionUrl(couple.caseUrl, 'homework'));
    for (const partner of couple.partners) {
      await expect(boardRow(page, BOTH_EXERCISE.title, partner)).toContainText('Reviewed');
    }

    // 7. Each partner reads their own feedback, and only their own.
    await visit(averyPage, jsEnabled, `/homework/${averyId}`);
    const averyFeedback = averyPage.getByRole('complementary', { name: 'Feedback from your counselor' });
    await expect(averyFeedback).toContainText(feedbackA);
    await expect(averyFeedback).toContainText(`From ${demo.counselor.name}`);
    expect(await averyPage.content()).not.toContain(`FB-B-${rand}`);
    await visit(averyPage, jsEnabled, '/');
    await expect(homeworkItem(averyPage, BOTH_EXERCISE.title)).toContainText(
      'Reviewed by your counselor',
    );
    // Blake's shared answer is there; the feedback Blake got is not.
    await expect(averyPage.getByText(`${sharedMarker} answer 1`, { exact: true })).toBeVisible();
    expect(await averyPage.content()).not.toContain(`FB-B-${rand}`);

    await visit(blakePage, jsEnabled, `/homework/${blakeId}`);
    await expect(
      blakePage.getByRole('complementary', { name: 'Feedback from your counselor' }),
    ).toContainText(feedbackB);
    expect(await blakePage.content()).not.toContain(`FB-A-${rand}`);
    await visit(blakePage, jsEnabled, '/');
    await expect(homeworkItem(blakePage, BOTH_EXERCISE.title)).toContainText(
      'Reviewed by your counselor',
    );
    const blakeHome = await blakePage.content();
    expect(blakeHome).not.toContain(`FB-A-${rand}`);
    expect(blakeHome).not.toContain(privateMarker);
  });

  test('a saved draft is still there after a reload and a fresh visit, and stays private', async ({
    page,
    pageReady,
    jsEnabled,
    newBrowserPage,
  }) => {
    test.setTimeout(90_000);
    const { couple, partnerPages } = await coupleWithPartnersJoined(
      page,
      jsEnabled,
      newBrowserPage,
      [1],
    );
    const [avery] = couple.partners;
    const [averyPage] = partnerPages;
    const rand = uniqueSuffix();
    const title = `Letter to myself ${rand}`;
    const draft = `DRAFT-${rand} first line\nsecond line, not finished yet`;

    // The counselor writes homework of their own for Avery.
    await openCaseSection(page, jsEnabled, couple.caseUrl, 'homework');
    await page.getByRole('region', { name: 'Homework' }).getByRole('link', { name: 'Or write your own' }).click();
    await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}/assign$`));
    await pageReady();
    await expect(page.getByRole('heading', { level: 1, name: 'Assign homework' })).toBeVisible();
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page
      .getByLabel('Instructions', { exact: true })
      .fill('Write a short letter to yourself about what you want to change this month.');
    await page.getByLabel('For', { exact: true }).selectOption({ label: `${avery.name} only` });
    await page.getByRole('button', { name: 'Send homework' }).click();
    await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}/homework\\?assigned=1(#homework)?$`));
    await pageReady();
    await expect(boardRow(page, title, avery)).toContainText('Not submitted');
    await expect(board(page).getByRole('row').filter({ hasText: title })).toHaveCount(1);

    // Avery types a draft and saves it.
    const id = await openHomeworkFromHome(averyPage, jsEnabled, title, 'To do');
    const box = averyPage.getByLabel('Your response', { exact: true });
    await expect(box).toHaveValue('');
    await box.fill(draft);
    await averyPage.getByRole('button', { name: 'Save draft' }).click();
    await expect(averyPage).toHaveURL(new RegExp(`/homework/${id}\\?saved=1$`));
    await waitForPageReady(averyPage, jsEnabled);
    await expect(averyPage.getByRole('status')).toHaveText('Draft saved.');
    // In Avery's time zone (UTC until she chooses another), written without a zone name.
    await expect(averyPage.getByText(/^Draft saved \d+ \w+ \d\d:\d\d\. Only you can see a draft\.$/)).toBeVisible();
    await expect(box).toHaveValue(draft);

    // A reload shows it...
    await averyPage.reload();
    await waitForPageReady(averyPage, jsEnabled);
    await expect(averyPage.getByLabel('Your response', { exact: true })).toHaveValue(draft);

    // ...and so does a fresh visit, where only the server can have put it there.
    await visit(averyPage, jsEnabled, '/');
    await expect(homeworkItem(averyPage, title)).toContainText('Draft saved');
    await visit(averyPage, jsEnabled, `/homework/${id}`);
    await expect(averyPage.getByRole('status')).toHaveCount(0);
    await expect(averyPage.getByLabel('Your response', { exact: true })).toHaveValue(draft);
    expect(await averyPage.content()).toContain(`DRAFT-${rand} first line`);
    await expect(
      averyPage.getByRole('group', { name: 'Who can read this answer?' }).getByRole('radio', {
        name: 'My counselor only',
      }),
    ).toBeChecked();

    // The counselor cannot read a draft.
    await page.getByRole('link', { name: title, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/assignments/${id}$`));
    await pageReady();
    await expect(
      page.getByText('Nothing submitted yet. Drafts stay private to the partner until they submit.'),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Mark reviewed' })).toHaveCount(0);
    expect(await page.content()).not.toContain(`DRAFT-${rand}`);
  });
});
