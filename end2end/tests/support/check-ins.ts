// Check-ins and agreements. One demo server (and database) serves every spec of a run, in
// both projects and two workers at once, so the Alex & Sam case's agreements can change
// while a test has the check-in form open, and another test's check-in may come between a
// test's own check-in and what it then reads on the counselor's side.

import { type Page } from '@playwright/test';
import { waitForPageReady, expect } from './base';
import { openCaseSection, type Couple } from './cases';

/** How a check-in answers "how did you keep this agreement?". */
export type KeptAnswer = 'Kept' | 'Partly kept' | 'Not kept';

/** Every agreement an end-to-end test writes has this in its wording (with a mark of its
 *  own). Check-ins answer such agreements "Partly kept" unless told otherwise: the
 *  counselor's follow-through chart shows each partner's latest answer of the week, so
 *  whichever spec checks in last, a test's agreement keeps the answer that test expects. */
export const E2E_AGREEMENT_TAG = '[e2e]';

/** What a check-in answers for an agreement it was not told about. */
export function defaultKeptAnswer(wording: string): KeptAnswer {
  return wording.includes(E2E_AGREEMENT_TAG) ? 'Partly kept' : 'Kept';
}

/** On the check-in form: answers every agreement it asks about (each a radio group under
 *  "Your agreements", named by the wording), with `choices[wording]` where given, else
 *  `defaultKeptAnswer`. Returns the wordings the form asked about, in order. */
export async function answerAgreements(
  page: Page,
  choices: Record<string, KeptAnswer> = {},
): Promise<string[]> {
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Send my check-in' }) });
  const groups = form
    .getByRole('group')
    .filter({ has: page.getByRole('radio', { name: 'Kept', exact: true }) });
  const count = await groups.count();
  if (count > 0) {
    await expect(page.getByRole('heading', { level: 2, name: 'Your agreements' })).toBeVisible();
  } else {
    await expect(page.getByRole('heading', { level: 2, name: 'Your agreements' })).toHaveCount(0);
  }
  const asked: string[] = [];
  for (let i = 0; i < count; i++) {
    const group = groups.nth(i);
    const wording = (await group.locator('legend').innerText()).trim();
    asked.push(wording);
    const answer = choices[wording] ?? defaultKeptAnswer(wording);
    const radio = group.getByRole('radio', { name: answer, exact: true });
    await radio.check();
    await expect(radio).toBeChecked();
  }
  for (const wording of Object.keys(choices)) {
    expect(asked, 'the check-in should ask about this agreement').toContain(wording);
  }
  return asked;
}

/** Alex's scores in every check-in a test sends as Alex. The counselor's table shows each
 *  partner's latest check-in of the week, and progress.spec reads Alex's back whichever spec
 *  checked in last, so every spec checks in as Alex with these. */
export const ALEX_CHECK_IN = { trust: '9', hope: '6', safety: 'Yes, I feel safe' } as const;

/** A partner's answers to the check-in form. */
export type CheckInAnswers = {
  /** The trust question, 0-10: its words fit the partner's part in the rupture (how much
   *  the hurt partner trusts; how much the partner who broke trust thinks they are trusted). */
  trust: string;
  /** "How hopeful do you feel about the relationship?", 0-10; 6 unless given. */
  hope?: string;
  wentWell?: string;
  wasHard?: string;
  /** The label of the answer to the safety question. */
  safety: string;
  /** Answers for agreements, by wording (the rest: `defaultKeptAnswer`). */
  kept?: Record<string, KeptAnswer>;
};

const CSI4_ANSWERS: [string, string][] = [
  ['Please indicate the degree of happiness, all things considered, of your relationship.', 'Happy'],
  ['I have a warm and comfortable relationship with my partner.', 'Mostly TRUE'],
  ['How rewarding is your relationship with your partner?', 'Somewhat'],
  ['In general, how satisfied are you with your relationship?', 'Mostly'],
];

async function fillCheckIn(page: Page, answers: CheckInAnswers): Promise<string[]> {
  for (const [question, answer] of CSI4_ANSWERS) {
    await page.getByRole('group', { name: question }).getByRole('radio', { name: answer, exact: true }).check();
  }
  const asked = await answerAgreements(page, answers.kept);
  await page
    .getByRole('group', { name: /^How much do you (think your partner trusts you|trust your partner)/ })
    .getByRole('radio', { name: answers.trust, exact: true })
    .check();
  await page
    .getByRole('group', { name: 'How hopeful do you feel about the relationship?' })
    .getByRole('radio', { name: answers.hope ?? '6', exact: true })
    .check();
  if (answers.wentWell !== undefined) {
    await page.getByLabel('What went well? (optional)', { exact: true }).fill(answers.wentWell);
  }
  if (answers.wasHard !== undefined) {
    await page.getByLabel('What was hard? (optional)', { exact: true }).fill(answers.wasHard);
  }
  await page
    .getByRole('group', { name: 'Do you feel safe at home with your partner right now?' })
    .getByRole('radio', { name: answers.safety, exact: true })
    .check();
  return asked;
}

/** On the open check-in form (`/check-in`): answers it, sends it and checks it is saved.
 *  (A form opened before the counselor added an agreement still goes through: it only has
 *  to answer what it showed.) Returns the agreement wordings it answered. */
export async function sendCheckIn(page: Page, jsEnabled: boolean, answers: CheckInAnswers): Promise<string[]> {
  const asked = await fillCheckIn(page, answers);
  await page.getByRole('button', { name: 'Send my check-in' }).click();
  await expect(page).toHaveURL(/\/check-in\?done=1$/);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('status').filter({ hasText: 'Your check-in is saved' })).toBeVisible();
  return asked;
}

/** On the case page: starts the couple on the built-in program at step 1. */
export async function startProgram(page: Page, jsEnabled: boolean, couple: Couple) {
  const homework = await openCaseSection(page, jsEnabled, couple.caseUrl, 'homework');
  const pageReady = () => waitForPageReady(page, jsEnabled);
  const program = page.getByRole('region', { name: 'Program' });
  await expect(program).toContainText('Not started on a program yet.');
  await program
    .getByRole('combobox', { name: 'Program' })
    .selectOption({ label: 'Rebuilding trust in ten steps (10 steps)' });
  await program.getByLabel('Note for the record').fill('Both partners agreed to begin the program.');
  await program.getByRole('button', { name: 'Start at step 1' }).click();
  await expect(page).toHaveURL(new RegExp(`${homework}(#program)?$`));
  await pageReady();
  await expect(page.getByRole('region', { name: 'Program' })).toContainText(
    'Step 1 of 10: Take full responsibility',
  );
}
