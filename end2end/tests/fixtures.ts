import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

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
   *  test. Use `waitForPageReady(otherPage, jsEnabled)` after its navigations. */
  newBrowserPage: () => Promise<Page>;
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

/** Signs in through the sign-in form, the way a person would: by the visible labels. */
export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Opens the sign-in page and checks it is the one shown. */
export async function openSignInPage(page: Page, pageReady: () => Promise<void>) {
  await page.goto('/login');
  await expect(page).toHaveURL(/\/login$/);
  await pageReady();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Trellis' })).toBeVisible();
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
  /** "How much do you trust your partner this week?", 0-10. */
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
    .getByRole('group', { name: 'How much do you trust your partner this week?' })
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

/** Signs in on a fresh page and waits for the home page. */
export async function signedIn(page: Page, jsEnabled: boolean, email: string) {
  await page.goto('/login');
  await waitForPageReady(page, jsEnabled);
  await signIn(page, email, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/$/);
  await waitForPageReady(page, jsEnabled);
}
