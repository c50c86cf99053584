import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'trellis-demo';

export const demo = {
  admin: { email: 'admin@demo.trellis.test', name: 'Morgan Ellis', role: 'Administrator' },
  counselor: { email: 'counselor@demo.trellis.test', name: 'Dr. Robin Hale', role: 'Counselor' },
  alex: { email: 'alex@demo.trellis.test', name: 'Alex Rivera', role: 'Partner' },
  sam: { email: 'sam@demo.trellis.test', name: 'Sam Rivera', role: 'Partner' },
} as const;

export type DemoPerson = (typeof demo)[keyof typeof demo];

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
