import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

// What every end-to-end spec shares: the demo accounts, the test fixtures (JS on or off,
// page readiness, browser errors, other people's browsers), and the steps several journeys
// take the same way (signing in, opening pages and cases, inviting partners, checking in).

export const DEMO_PASSWORD = 'trellis-demo';

export const demo = {
  admin: { email: 'admin@demo.trellis.test', name: 'Morgan Ellis', role: 'Administrator' },
  counselor: { email: 'counselor@demo.trellis.test', name: 'Dr. Robin Hale', role: 'Counselor' },
  alex: { email: 'alex@demo.trellis.test', name: 'Alex Rivera', role: 'Partner' },
  sam: { email: 'sam@demo.trellis.test', name: 'Sam Rivera', role: 'Partner' },
} as const;

export type DemoPerson = (typeof demo)[keyof typeof demo];

/** The demo couple Alex & Sam's active agreements, as seeded (app/src/demo.rs). */
export const demoAgreements = {
  sundayTalk:
    'We sit down together every Sunday evening for thirty minutes, phones away. Either of us can ask for a pause, and we come back to it within the hour.',
  contact:
    'Alex tells me the same day if the other person gets in touch in any way, before I find out some other way.',
} as const;

type Fixtures = {
  /** Whether this project runs the page's JavaScript (the `js` project) or not (`nojs`). */
  jsEnabled: boolean;
  /** Waits until the current page is ready for a person to use, and checks the hydration
   *  marker: present once the WASM has run with JS on, never there with JS off. */
  pageReady: () => Promise<void>;
  /** Uncaught page errors and console errors seen during the test; the test fails if any. */
  browserErrors: string[];
  /** Opens a page in a browser context of its own, as another person's browser would be:
   *  same project settings (JS on or off), watched for errors like `page`, closed after the
   *  test. Open its pages with `visit`, or `waitForPageReady` after its other navigations. */
  newBrowserPage: () => Promise<Page>;
  /** `newBrowserPage`, then signs in there as this demo person (see `signInAs`). */
  newBrowserPageAs: (person: DemoPerson) => Promise<Page>;
};

export const test = base.extend<Fixtures>({
  jsEnabled: async ({ javaScriptEnabled }, use) => {
    await use(javaScriptEnabled !== false);
  },

  browserErrors: [
    async ({ page, jsEnabled }, use) => {
      const errors: string[] = [];
      watchForErrors(page, jsEnabled, errors);
      await use(errors);
      expect(errors, 'the browser reported errors').toEqual([]);
    },
    { auto: true },
  ],

  pageReady: async ({ page, jsEnabled }, use) => {
    await use(() => waitForPageReady(page, jsEnabled));
  },

  newBrowserPage: async ({ browser, baseURL, javaScriptEnabled, jsEnabled, browserErrors }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext({ baseURL, javaScriptEnabled });
      contexts.push(context);
      const page = await context.newPage();
      watchForErrors(page, jsEnabled, browserErrors);
      return page;
    });
    for (const context of contexts) await context.close();
  },

  newBrowserPageAs: async ({ newBrowserPage, jsEnabled }, use) => {
    await use(async (person) => {
      const page = await newBrowserPage();
      await signInAs(page, jsEnabled, person);
      return page;
    });
  },
});

/** Records a page's uncaught errors, console errors and failed requests in `errors`. */
export function watchForErrors(page: Page, jsEnabled: boolean, errors: string[]) {
  page.on('pageerror', (err) => errors.push(`pageerror at ${page.url()}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const where = msg.location();
      // A "Page not found" page the test opened on purpose (and checks) is answered with
      // 404, which Chromium reports for the document itself. Only the page's own address:
      // a missing script, stylesheet or image is still an error.
      if (
        where.url === page.url() &&
        msg.text() === 'Failed to load resource: the server responded with a status of 404 (Not Found)'
      ) {
        return;
      }
      errors.push(`console.error at ${page.url()} (${where.url}:${where.lineNumber}): ${msg.text()}`);
    }
  });
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText;
    // With JS off, Chromium refuses the <link rel="modulepreload"> of the bundle: expected.
    if (!jsEnabled && why === 'csp' && req.resourceType() === 'script') return;
    // The browser fetches the favicon on its own, after the page has loaded; a test that
    // moves on to another page right away cancels that fetch.
    if (why === 'net::ERR_ABORTED' && new URL(req.url()).pathname === '/favicon.svg') return;
    // With JS off nothing uses the bundle, but Chromium still preloads the WASM; a test that
    // moves on before the preload finishes cancels it.
    if (!jsEnabled && why === 'net::ERR_ABORTED' && new URL(req.url()).pathname.startsWith('/pkg/')) return;
    errors.push(`request failed: ${req.method()} ${req.url()}: ${why}`);
  });
}

/** What `pageReady` does, for any page (e.g. one from `newBrowserPage`). */
export async function waitForPageReady(page: Page, jsEnabled: boolean) {
  await page.waitForLoadState('load');
  const body = page.locator('body');
  if (jsEnabled) {
    await expect(body, 'the page WASM should hydrate and mark <body>').toHaveAttribute(
      'data-hydrated',
      'true',
    );
  } else {
    await expect(body).not.toHaveAttribute('data-hydrated', /.*/);
  }
}

export { expect };

/** Opens `path` and waits until the page is ready; returns the response. */
export async function visit(page: Page, jsEnabled: boolean, path: string) {
  const response = await page.goto(path);
  await waitForPageReady(page, jsEnabled);
  return response;
}

/** Opens `path`, checks the answer is a 404 and the page says so (by `heading`). */
export async function expectNotFound(
  page: Page,
  jsEnabled: boolean,
  path: string,
  heading = 'Page not found',
) {
  const response = await page.goto(path);
  expect(response?.status()).toBe(404);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/** Checks none of `texts` is on the page: not on screen, not anywhere in its HTML. */
export async function expectNowhere(page: Page, texts: string[]) {
  const html = await page.content();
  for (const text of texts) {
    await expect(page.getByText(text)).toHaveCount(0);
    expect(html).not.toContain(text);
  }
}

// ---------------------------------------------------------------------------------------
// Text of a test's own. One server and database serve every spec of a run, in both projects
// at once, so what a test writes carries a mark no other test (or run) uses.

/** A few lowercase letters no other test will pick (for names and email addresses). */
export function uniqueSuffix(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < 8; i++) s += letters[Math.floor(Math.random() * letters.length)];
  return s;
}

/** A mark of capitals and digits no other test will pick, to find a test's own text. */
export function uniqueMark(): string {
  return Math.random().toString(36).slice(2, 10).toUpperCase();
}

/** A password the server accepts, unique to this test, not containing the email. */
export function newPassword(): string {
  return `Pebble lantern ${uniqueSuffix()} 47`;
}

// ---------------------------------------------------------------------------------------
// Signing in.

/** Signs in through the sign-in form, the way a person would: by the visible labels. */
export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Opens `from` (the sign-in page, or one that sends a newcomer there) and checks the
 *  sign-in page is the one shown. */
export async function openSignInPage(page: Page, jsEnabled: boolean, from = '/login') {
  await page.goto(from);
  await expect(page).toHaveURL(/\/login$/);
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Trellis' })).toBeVisible();
}

/** On the sign-in form: signs in as a demo person and checks their home page's header. */
export async function submitSignInAs(page: Page, jsEnabled: boolean, person: DemoPerson) {
  await signIn(page, person.email, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/$/);
  await waitForPageReady(page, jsEnabled);
  await expectSignedInAs(page, person);
}

/** Opens the sign-in page and signs in as a demo person; ends on their home page. */
export async function signInAs(page: Page, jsEnabled: boolean, person: DemoPerson) {
  await openSignInPage(page, jsEnabled);
  await submitSignInAs(page, jsEnabled, person);
}

/** Checks the signed-in header shows who is signed in. */
export async function expectSignedInAs(page: Page, person: DemoPerson) {
  const header = page.getByRole('banner');
  await expect(header.getByText('Trellis', { exact: true })).toBeVisible();
  await expect(header.getByTestId('current-user-name')).toHaveText(person.name);
  await expect(header.getByText(person.role, { exact: true })).toBeVisible();
  await expect(header.getByRole('navigation')).toBeVisible();
  await expect(header.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

// ---------------------------------------------------------------------------------------
// Cases and invitations.

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

// ---------------------------------------------------------------------------------------
// Check-ins and agreements. One demo server (and database) serves every spec of a run, in
// both projects and two workers at once, so the Alex & Sam case's agreements can change
// while a test has the check-in form open, and another test's check-in may come between a
// test's own check-in and what it then reads on the counselor's side.

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
