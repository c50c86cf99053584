import type { Locator, Page } from '@playwright/test';
import {
  ALEX_CHECK_IN,
  demo,
  demoAgreements,
  E2E_AGREEMENT_TAG,
  expect,
  openCaseFromCaseload,
  openCaseSection,
  sectionUrl,
  sendCheckIn,
  signInAs,
  test,
  uniqueMark,
  visit,
  waitForPageReady,
} from './fixtures';

// Relationship agreements, on the demo couple Alex & Sam: the counselor writes one, each
// partner acknowledges it in their own browser; Sam proposes one that Alex never sees until
// the counselor approves it; a reworded agreement is acknowledged again; Alex's check-in
// says how each agreement was kept, which the counselor sees week by week and Sam never
// does; an agreement the counselor ends is no longer asked about.
//
// The demo server is shared by every spec, in both projects (`js`, `nojs`) and maybe at the
// same time, so every text this test writes carries a mark of its own, it looks for its own
// agreements by their wording, and it never counts agreements other than its own. Its
// agreements carry E2E_AGREEMENT_TAG, so every other check-in answers them "Partly kept"
// too (see `defaultKeptAnswer`), the answer this test expects on the counselor's chart.

const SAVED = 'Agreement saved. Both partners are asked to acknowledge it.';
const WAITING = /\d+ agreements? (is|are) waiting for your acknowledgement\./;

/** The counselor's "Agreements" section on the case page. */
function agreementsSection(page: Page): Locator {
  return page.getByRole('region', { name: 'Agreements', exact: true });
}

/** An active agreement's card (the counselor's or a partner's), by its wording, current or
 *  earlier: the list item with a "Version N · since …" line. */
function activeCard(page: Page, scope: Page | Locator, wording: string): Locator {
  return scope
    .getByRole('listitem')
    .filter({ hasText: wording })
    .filter({ has: page.getByText(/^Version \d+ · since /) });
}

/** Checks an agreement card says these partners have not acknowledged its wording yet. */
async function expectNotAcknowledged(card: Locator, names: string[]) {
  for (const name of names) {
    await expect(card.getByText(`${name} has not acknowledged this wording yet.`, { exact: true })).toBeVisible();
  }
}

/** A partner's pending or declined proposal on their own `/agreements` page. */
function ownProposal(page: Page, wording: string): Locator {
  return page
    .getByRole('listitem')
    .filter({ hasText: wording })
    .filter({ has: page.getByText(/^Sent /) });
}

/** After one of the counselor's agreement buttons: back on the case page with the notice. */
async function expectCaseNotice(
  page: Page,
  pageReady: () => Promise<void>,
  caseUrl: string,
  outcome: 'saved' | 'decided' | 'ended',
  notice: string,
) {
  await expect(page).toHaveURL(new RegExp(`${caseUrl}/agreements\\?agreement=${outcome}(#agreements)?$`));
  await pageReady();
  await expect(agreementsSection(page).getByRole('status')).toHaveText(notice);
}

/** A partner opens their agreements page through the navigation. */
async function openAgreements(page: Page, jsEnabled: boolean) {
  await page.getByRole('banner').getByRole('link', { name: 'Agreements', exact: true }).click();
  await expect(page).toHaveURL(/\/agreements$/);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('heading', { level: 1, name: 'Agreements' })).toBeVisible();
}

/** A partner opens their home page; returns its "Agreements" card. */
async function openHome(page: Page, jsEnabled: boolean): Promise<Locator> {
  await visit(page, jsEnabled, '/');
  return page.getByRole('region', { name: 'Agreements', exact: true });
}

/** A partner acknowledges the agreement with this (current) wording. */
async function acknowledge(page: Page, jsEnabled: boolean, wording: string, message: string) {
  const card = activeCard(page, page, wording);
  await expect(card).toHaveCount(1);
  await expect(card.getByText(message, { exact: true })).toBeVisible();
  await card.getByRole('button', { name: 'I acknowledge this agreement' }).click();
  await expect(page).toHaveURL(/\/agreements\?acknowledged=1$/);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('status')).toHaveText('Thank you. Your acknowledgement is saved.');
  const after = activeCard(page, page, wording);
  await expect(after.getByText(/^You acknowledged this wording on .+\.$/)).toBeVisible();
  await expect(after.getByRole('button', { name: 'I acknowledge this agreement' })).toHaveCount(0);
}

test('agreements: written, acknowledged, proposed in private, approved, reworded, kept, and ended', async ({
  page,
  pageReady,
  jsEnabled,
  newBrowserPageAs,
}) => {
  test.setTimeout(180_000);
  const mark = uniqueMark();
  const tag = `${E2E_AGREEMENT_TAG} ${mark}`;
  const first = `We take a walk together after dinner on weekdays, phones at home. ${tag} WALK`;
  const reworded = `We take a walk together after dinner on three weekdays, or say so when we cannot. ${tag} WALK-2`;
  const samPrivate = `SAM-PROPOSAL-${mark}`;
  const samProposal = `We say goodnight to each other in person, even after a hard day. ${tag} ${samPrivate}`;
  const alexPrivate = `ALEX-CHECK-IN-${mark}`;
  const ack = {
    firstTime: 'Please read this agreement and acknowledge it.',
    reworded: 'This agreement was reworded. Please read it and acknowledge the new wording.',
  };

  // 1. The counselor adds an agreement on the couple's case page.
  await signInAs(page, jsEnabled, demo.counselor);
  await visit(page, jsEnabled, '/');
  const caseUrl = await openCaseFromCaseload(page, jsEnabled);
  await openCaseSection(page, jsEnabled, caseUrl, 'agreements');
  let section = agreementsSection(page);
  await expect(section.getByRole('heading', { level: 2, name: 'Agreements' })).toBeVisible();
  await expect(activeCard(page, section, demoAgreements.contact)).toHaveCount(1);
  await section
    .getByLabel('New agreement (both partners are asked to acknowledge it)', { exact: true })
    .fill(first);
  await section.getByRole('button', { name: 'Add the agreement' }).click();
  await expectCaseNotice(page, pageReady, caseUrl, 'saved', SAVED);
  section = agreementsSection(page);
  let card = activeCard(page, section, first);
  await expect(card).toHaveCount(1);
  await expect(card.getByText(/^Version 1 · since /)).toBeVisible();
  await expectNotAcknowledged(card, [demo.alex.name, demo.sam.name]);
  // The trends, in the progress section.
  await openCaseSection(page, jsEnabled, caseUrl, 'progress');
  const trends = page.getByRole('region', { name: 'Progress over time' });
  await expect(trends.getByRole('figure', { name: /Steps over time/ })).toBeVisible();
  await expect(
    trends.getByRole('figure', { name: /Homework completed of what came due, by week/ }),
  ).toBeVisible();

  // 2. Alex finds it from home and acknowledges it.
  const alex = await newBrowserPageAs(demo.alex);
  let alexCard = alex.getByRole('region', { name: 'Agreements', exact: true });
  await expect(alexCard).toContainText(WAITING);
  await expect(alexCard.getByRole('link', { name: 'Read your agreements' })).toBeVisible();
  await openAgreements(alex, jsEnabled);
  await expectNotAcknowledged(activeCard(alex, alex, first), [demo.sam.name]);
  await acknowledge(alex, jsEnabled, first, ack.firstTime);

  // 3. Sam sees Alex's acknowledgement, and proposes an agreement of their own.
  const sam = await newBrowserPageAs(demo.sam);
  await openAgreements(sam, jsEnabled);
  const samCard = activeCard(sam, sam, first);
  await expect(samCard.getByText(ack.firstTime, { exact: true })).toBeVisible();
  await expect(samCard.getByText(/^Alex Rivera acknowledged this wording on .+\.$/)).toBeVisible();
  await sam
    .getByLabel(
      'Propose an agreement (your counselor reads it first; your partner sees it once it is approved)',
      { exact: true },
    )
    .fill(samProposal);
  await sam.getByRole('button', { name: 'Send the proposal' }).click();
  await expect(sam).toHaveURL(/\/agreements\?proposed=1(#proposals)?$/);
  await waitForPageReady(sam, jsEnabled);
  await expect(sam.getByRole('status')).toHaveText(
    'Your proposal is with your counselor. Your partner sees it once your counselor approves it.',
  );
  await expect(sam.getByRole('heading', { level: 2, name: 'Your proposals' })).toBeVisible();
  await expect(ownProposal(sam, samProposal)).toContainText('waiting for your counselor');

  // 4. Alex sees nothing of Sam's proposal, neither on the agreements page nor at home.
  await visit(alex, jsEnabled, '/agreements');
  await expect(activeCard(alex, alex, first)).toHaveCount(1);
  expect(await alex.content()).not.toContain(samPrivate);
  alexCard = await openHome(alex, jsEnabled);
  await expect(alexCard).toBeVisible();
  expect(await alex.content()).not.toContain(samPrivate);

  // 5. The counselor approves Sam's proposal.
  await visit(page, jsEnabled, sectionUrl(caseUrl, 'agreements'));
  section = agreementsSection(page);
  await expect(section.getByRole('heading', { level: 3, name: 'Proposals waiting for you' })).toBeVisible();
  const proposal = section.getByRole('listitem').filter({ hasText: samProposal });
  await expect(proposal).toHaveCount(1);
  await expect(proposal.getByText(/^Sam Rivera proposes a new agreement · .+/)).toBeVisible();
  await expect(
    proposal.getByLabel('Reason for declining (optional; Sam Rivera reads it)', { exact: true }),
  ).toBeVisible();
  await expect(proposal.getByRole('button', { name: 'Decline the proposal' })).toBeVisible();
  await proposal.getByRole('button', { name: 'Approve the proposal' }).click();
  await expectCaseNotice(page, pageReady, caseUrl, 'decided', 'Proposal decided.');
  section = agreementsSection(page);
  await expect(
    section.getByRole('listitem').filter({ hasText: samProposal }).filter({ hasText: 'proposes' }),
  ).toHaveCount(0);
  card = activeCard(page, section, samProposal);
  await expect(card).toHaveCount(1);
  await expect(card.getByText(/^Version 1 · since /)).toBeVisible();

  // Sam's proposal is now an agreement, no longer a proposal.
  await visit(sam, jsEnabled, '/agreements');
  await expect(activeCard(sam, sam, samProposal)).toHaveCount(1);
  await expect(ownProposal(sam, samProposal)).toHaveCount(0);

  // 6. Now Alex sees it, waiting for acknowledgement.
  alexCard = await openHome(alex, jsEnabled);
  await expect(alexCard).toContainText(WAITING);
  await alexCard.getByRole('link', { name: 'Read your agreements' }).click();
  await expect(alex).toHaveURL(/\/agreements$/);
  await waitForPageReady(alex, jsEnabled);
  const approved = activeCard(alex, alex, samProposal);
  await expect(approved).toHaveCount(1);
  await expect(approved.getByText(ack.firstTime, { exact: true })).toBeVisible();
  await expect(approved.getByRole('button', { name: 'I acknowledge this agreement' })).toBeVisible();

  // 7. The counselor rewords the first agreement: both partners acknowledge it again.
  await visit(page, jsEnabled, sectionUrl(caseUrl, 'agreements'));
  card = activeCard(page, agreementsSection(page), first);
  await card.getByText('Reword it', { exact: true }).click();
  const wordingBox = card.getByLabel('New wording (both partners acknowledge it again)', {
    exact: true,
  });
  await expect(wordingBox).toHaveValue(first);
  await wordingBox.fill(reworded);
  await card.getByRole('button', { name: 'Save the new wording' }).click();
  await expectCaseNotice(page, pageReady, caseUrl, 'saved', SAVED);
  card = activeCard(page, agreementsSection(page), reworded);
  await expect(card).toHaveCount(1);
  await expect(card.getByText(/^Version 2 · since /)).toBeVisible();
  await expectNotAcknowledged(card, [demo.alex.name, demo.sam.name]);
  await expect(card.getByText('Earlier wording (1)', { exact: true })).toBeVisible();

  await visit(alex, jsEnabled, '/agreements');
  await acknowledge(alex, jsEnabled, reworded, ack.reworded);
  await expect(
    activeCard(alex, alex, reworded).getByText('Earlier wording (1)', { exact: true }),
  ).toBeVisible();

  // 8. Alex checks in, and says the approved agreement was partly kept (and the reworded one
  // kept: its chart is not checked, as other check-ins answer it with the default).
  await alex.getByRole('banner').getByRole('link', { name: 'Check-in', exact: true }).click();
  await expect(alex).toHaveURL(/\/check-in$/);
  await waitForPageReady(alex, jsEnabled);
  await expect(alex.getByRole('group', { name: first, exact: true })).toHaveCount(0);
  const asked = await sendCheckIn(alex, jsEnabled, {
    ...ALEX_CHECK_IN,
    wentWell: `${alexPrivate} we walked three times`,
    kept: { [samProposal]: 'Partly kept', [reworded]: 'Kept' },
  });
  expect(asked).toEqual(
    expect.arrayContaining([demoAgreements.sundayTalk, demoAgreements.contact, reworded, samProposal]),
  );
  expect(asked).not.toContain(first);

  // 9. Sam's pages never show Alex's answers.
  await visit(sam, jsEnabled, '/check-in');
  const samGroup = sam.getByRole('group', { name: samProposal, exact: true });
  await expect(samGroup.getByRole('radio')).toHaveCount(3);
  for (const radio of await samGroup.getByRole('radio').all()) await expect(radio).not.toBeChecked();
  for (const path of ['/check-in', '/agreements', '/']) {
    await visit(sam, jsEnabled, path);
    const html = await sam.content();
    expect(html).not.toContain(alexPrivate);
    expect(html).not.toContain('Follow-through');
    expect(html).not.toMatch(/Alex Rivera: (kept|no answers)/);
  }

  // 10. The counselor sees how the approved agreement was kept, week by week.
  await visit(page, jsEnabled, sectionUrl(caseUrl, 'agreements'));
  card = activeCard(page, agreementsSection(page), samProposal);
  const figure = card.getByRole('figure', { name: 'Follow-through by week' });
  await expect(figure).toBeVisible();
  await expect(figure.getByRole('img', { name: /Follow-through by week/ })).toBeVisible();
  await expect(
    figure.getByText('Alex Rivera: kept 0 of 1 week answered, partly 1, not kept 0.', { exact: true }),
  ).toBeVisible();
  await expect(figure.getByText(/^Sam Rivera: /)).toBeVisible();
  await expect(card.getByText('No check-in has said how it was kept yet.')).toHaveCount(0);

  // 11. The counselor ends the reworded agreement: check-ins no longer ask about it.
  card = activeCard(page, agreementsSection(page), reworded);
  await card.getByRole('button', { name: 'End this agreement' }).click();
  await expectCaseNotice(
    page,
    pageReady,
    caseUrl,
    'ended',
    'Agreement ended. Check-ins no longer ask about it.',
  );
  section = agreementsSection(page);
  await expect(activeCard(page, section, reworded)).toHaveCount(0);
  await expect(activeCard(page, section, samProposal)).toHaveCount(1);
  await expect(section.getByText(/^Ended agreements \(\d+\)$/)).toBeVisible();

  await visit(alex, jsEnabled, '/check-in');
  await expect(alex.getByRole('heading', { level: 2, name: 'Your agreements' })).toBeVisible();
  await expect(alex.getByRole('group', { name: reworded, exact: true })).toHaveCount(0);
  await expect(alex.getByRole('group', { name: samProposal, exact: true })).toHaveCount(1);
  await visit(alex, jsEnabled, '/agreements');
  await expect(activeCard(alex, alex, reworded)).toHaveCount(0);
  await expect(alex.getByText(/^Ended agreements \(\d+\)$/)).toBeVisible();
});
