import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

// What every end-to-end spec shares: the demo accounts, the test fixtures (JS on or off,
// page readiness, browser errors, other people's browsers), opening pages, text of a
// test's own, and signing in.

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
// Signing in (the `newBrowserPageAs` fixture signs in too).

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
