// Cases and invitations: opening a case and its sections, a counselor's new case, and
// partners accepting their invitations.

import { type Page } from '@playwright/test';
import { demo, waitForPageReady, visit, uniqueSuffix, newPassword, expect, signInAs } from './base';

/** The demo couple's case, by the name the caseload and the case page show. */
export const DEMO_CASE = 'Alex & Sam';

/** On the counselor's caseload: opens a case by its link and returns the case page's path. */
export async function openCaseFromCaseload(page: Page, jsEnabled: boolean, caseName = DEMO_CASE) {
  await page.getByRole('link', { name: caseName, exact: true }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('heading', { level: 1, name: caseName })).toBeVisible();
  return new URL(page.url()).pathname;
}

/** The case page's sections: each path segment and the name of its link. */
export const CASE_SECTIONS = {
  overview: ['', 'Overview'],
  homework: ['/homework', 'Program and homework'],
  progress: ['/progress', 'Check-ins and progress'],
  agreements: ['/agreements', 'Agreements'],
  sessions: ['/sessions', 'Sessions and goals'],
  partners: ['/partners', 'Partners and details'],
  timeline: ['/timeline', 'Timeline'],
} as const;
export type CaseSection = keyof typeof CASE_SECTIONS;

/** A section's path on the case page at `caseUrl` (the overview's path). */
export function sectionUrl(caseUrl: string, section: CaseSection): string {
  return `${caseUrl}${CASE_SECTIONS[section][0]}`;
}

/** Opens a section of the case at `caseUrl` by its link in the case page's section links,
 *  as a counselor would (first opening the case when elsewhere; loading it afresh when
 *  already there); returns the section's path. */
export async function openCaseSection(page: Page, jsEnabled: boolean, caseUrl: string, section: CaseSection) {
  const path = sectionUrl(caseUrl, section);
  const here = new URL(page.url()).pathname;
  if (here === path) {
    await visit(page, jsEnabled, path);
    return path;
  }
  if (!here.startsWith(caseUrl)) await visit(page, jsEnabled, caseUrl);
  const nav = page.getByRole('navigation', { name: 'Sections of this case' });
  await nav.getByRole('link', { name: CASE_SECTIONS[section][1], exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await waitForPageReady(page, jsEnabled);
  await expect(nav.getByRole('link', { name: CASE_SECTIONS[section][1], exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  return path;
}

export type Partner = { name: string; first: string; email: string };
export type Couple = { caseName: string; caseUrl: string; partners: [Partner, Partner] };

/** Signs in as the demo counselor and opens a new couple's case through the form. The
 *  couple's surname is `surnameTag` and a unique suffix; `concerns` fills the optional field. */
export async function counselorOpensNewCase(
  page: Page,
  jsEnabled: boolean,
  surnameTag: string,
  concerns?: string,
): Promise<Couple> {
  const suffix = uniqueSuffix();
  const surname = `${surnameTag}${suffix}`;
  const partners: [Partner, Partner] = [
    { name: `Avery ${surname}`, first: 'Avery', email: `avery.${suffix}@example.org` },
    { name: `Blake ${surname}`, first: 'Blake', email: `blake.${suffix}@example.org` },
  ];
  const caseName = `Avery & Blake ${surname}`;

  await signInAs(page, jsEnabled, demo.counselor);
  await expect(page.getByRole('heading', { level: 1, name: 'Your caseload' })).toBeVisible();

  await page.getByRole('link', { name: 'New couple' }).click();
  await expect(page).toHaveURL(/\/cases\/new$/);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('heading', { level: 1, name: 'New couple' })).toBeVisible();

  await page.getByLabel('Case name').fill(caseName);
  for (const [legend, partner, role] of [
    ['First partner', partners[0], 'Broke trust'],
    ['Second partner', partners[1], 'Hurt partner'],
  ] as const) {
    const group = page.getByRole('group', { name: legend });
    await group.getByLabel('Name', { exact: true }).fill(partner.name);
    await group.getByLabel('Email', { exact: true }).fill(partner.email);
    await group.getByLabel('Role in the rupture').selectOption({ label: role });
  }
  if (concerns !== undefined) await page.getByLabel('Presenting concerns (optional)').fill(concerns);
  await page.getByRole('button', { name: 'Open the case' }).click();

  // A new case opens on its partners, to invite them.
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}\/partners$/);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('heading', { level: 1, name: caseName })).toBeVisible();
  for (const [i, partner] of partners.entries()) {
    const item = page.locator(`#partner-${i + 1}`);
    await expect(item).toContainText(partner.name);
    await expect(item).toContainText(partner.email);
    await expect(item).toContainText('Not invited yet');
  }
  const caseUrl = new URL(page.url()).pathname.replace(/\/partners$/, '');
  return { caseName, caseUrl, partners };
}

/** On the case page: creates a (first or new) invitation link for a partner and returns it. */
export async function createInvitationLink(
  page: Page,
  jsEnabled: boolean,
  couple: Couple,
  position: 1 | 2,
  button: 'Create an invitation link for' | 'Create a new link for' = 'Create an invitation link for',
): Promise<string> {
  const partner = couple.partners[position - 1];
  const partners = await openCaseSection(page, jsEnabled, couple.caseUrl, 'partners');
  const item = page.locator(`#partner-${position}`);
  await item.getByRole('button', { name: `${button} ${partner.first}`, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${partners}(#partner-${position})?$`));
  await waitForPageReady(page, jsEnabled);
  await expect(item).toContainText(/Invited on \d{1,2} \w{3} \d{4}; the link works until \d{1,2} \w{3} \d{4}/);
  const field = item.getByLabel(`Invitation link for ${partner.name}`, { exact: true });
  await expect(field).toBeVisible();
  await expect(field).toHaveAttribute('readonly', '');
  await expect(field).toHaveAttribute('data-testid', 'invitation-link');
  const link = await field.inputValue();
  // The run's own server (playwright.config.ts: TRELLIS_E2E_PORT, else 3917).
  const port = process.env.TRELLIS_E2E_PORT || '3917';
  expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/invite/[A-Za-z0-9_-]{20,}$`));
  return link;
}

/** Path of an absolute invitation link, to open it against this run's server. */
export function pathOf(link: string): string {
  return new URL(link).pathname;
}

/** On an invitation page: chooses a password, creates the account and waits for the
 *  welcome home page. A partner (`signsAs`, the name they type) first lands on the
 *  practice's consent and signs it, as every partner must before anything else opens. */
export async function createAccount(page: Page, jsEnabled: boolean, password: string, signsAs?: string) {
  await page.getByLabel('Choose a password').fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create my account' }).click();
  if (signsAs !== undefined) {
    await expect(page).toHaveURL(/\/consent\?welcome=1$/);
    await waitForPageReady(page, jsEnabled);
    await signConsent(page, signsAs);
  }
  await expect(page).toHaveURL(/\/\?welcome=1$/);
  await waitForPageReady(page, jsEnabled);
}

/** On the consent page: ticks "I have read and agree", types the full name and signs. */
export async function signConsent(page: Page, fullName: string) {
  await expect(page.getByRole('heading', { level: 1, name: 'Consent for counselling' })).toBeVisible();
  await page.getByLabel('I have read and agree').check();
  await page.getByLabel('Your full name').fill(fullName);
  await page.getByRole('button', { name: 'Sign the consent' }).click();
}

/** In a page of their own: opens a partner's invitation link, creates their account and
 *  checks they are signed in. Returns the password it chose. */
export async function acceptInvitation(page: Page, jsEnabled: boolean, link: string, partner: Partner) {
  await visit(page, jsEnabled, pathOf(link));
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${partner.name}` })).toBeVisible();
  await expect(page.getByText(partner.email, { exact: true })).toBeVisible();
  // Every invitation offers both ways in, so the page tells nobody whether the address
  // already has an account.
  await expect(page.getByRole('heading', { level: 2, name: 'New to Trellis?' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Already use Trellis?' })).toBeVisible();
  await expect(page.getByLabel('Your Trellis password')).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveValue(partner.name);
  const password = newPassword();
  await createAccount(page, jsEnabled, password, partner.name);
  await expect(page.getByRole('banner').getByTestId('current-user-name')).toHaveText(partner.name);
  return password;
}
