import fs from 'node:fs';
import {
  DEMO_PASSWORD,
  demo,
  expect,
  openSignInPage,
  signIn,
  signInAs,
  submitSignInAs,
  test,
} from './fixtures';

// Every test runs in both projects: `js` (the page's WASM runs) and `nojs` (plain HTML
// forms only). Each test gets a fresh browser context, so nobody starts signed in.

const SHOTS = process.env.TRELLIS_E2E_SHOTS_DIR || '/tmp/e2e-shots';

test.describe('signing in and out', () => {
  test('a newcomer is sent to sign in, signs in as the counselor and signs out', async ({
    page,
    pageReady,
    jsEnabled,
  }, testInfo) => {
    await openSignInPage(page, jsEnabled, '/');

    const demoSection = page.getByRole('region', { name: 'Demo practice' });
    await expect(demoSection).toBeVisible();
    for (const person of Object.values(demo)) {
      await expect(demoSection.getByText(person.email, { exact: true })).toBeVisible();
    }
    await expect(demoSection.getByText(DEMO_PASSWORD, { exact: true })).toBeVisible();

    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/sign-in-${testInfo.project.name}.png`, fullPage: true });

    await submitSignInAs(page, jsEnabled, demo.counselor);
    await expect(page.getByRole('heading', { level: 1, name: 'Your caseload' })).toBeVisible();
    await page.screenshot({
      path: `${SHOTS}/counselor-home-${testInfo.project.name}.png`,
      fullPage: true,
    });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login\?signed_out=1$/);
    await pageReady();
    await expect(page.getByRole('status')).toHaveText('You have signed out.');
    await expect(page.getByTestId('current-user-name')).toHaveCount(0);

    await openSignInPage(page, jsEnabled, '/');
    await expect(page.getByText('You have signed out.')).toHaveCount(0);
  });

  test('a wrong password is refused, and the form still works afterwards', async ({
    page,
    pageReady,
    jsEnabled,
  }) => {
    // One wrong attempt per project on this account: far below the throttle (5 per
    // account in 15 minutes), and the correct sign-in below clears the count.
    await openSignInPage(page, jsEnabled);
    await signIn(page, demo.sam.email, 'not-the-password');

    const alert = page.getByRole('alert');
    await expect(alert).toHaveText('Email or password is incorrect.');
    expect(new URL(page.url()).pathname).toBe('/login');
    await pageReady();
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Trellis' })).toBeVisible();
    await expect(page.getByTestId('current-user-name')).toHaveCount(0);

    await expect(page.getByLabel('Email')).toBeEditable();
    await expect(page.getByLabel('Password')).toBeEditable();
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();

    await submitSignInAs(page, jsEnabled, demo.sam);
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Sam' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});

test.describe('home page by role', () => {
  test('a partner sees their welcome and not the accounts table', async ({ page, jsEnabled }) => {
    await signInAs(page, jsEnabled, demo.alex);

    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Alex' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Accounts' })).toHaveCount(0);
    await expect(page.getByRole('table')).toHaveCount(0);
    await expect(page.getByText(demo.admin.email)).toHaveCount(0);
    await expect(page.getByText(demo.counselor.email)).toHaveCount(0);
  });

  test('the administrator sees the accounts table with every demo account', async ({
    page,
    jsEnabled,
  }) => {
    await signInAs(page, jsEnabled, demo.admin);

    await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
    const table = page.getByRole('table', { name: 'Everyone with an account in this practice' });
    await expect(table).toBeVisible();
    for (const person of Object.values(demo)) {
      const row = table.getByRole('row').filter({ hasText: person.email });
      await expect(row).toHaveCount(1);
      await expect(row.getByRole('cell', { name: person.name, exact: true })).toBeVisible();
      await expect(row.getByRole('cell', { name: person.role, exact: true })).toBeVisible();
    }
  });
});

test.describe('hydration marker', () => {
  test('marks <body> once the WASM runs with JS on, and never with JS off', async ({
    page,
    jsEnabled,
  }) => {
    await page.goto('/login');
    // The page ships the marker island in both projects; only running JS can set it.
    await expect(page.locator('leptos-island[data-component^="HydrationMarker"]')).toHaveCount(1);
    const body = page.locator('body');
    if (jsEnabled) {
      await expect(body).toHaveAttribute('data-hydrated', 'true');
    } else {
      // Nothing can run to set it, but give it time anyway, then look again.
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(1_000);
      await expect(body).not.toHaveAttribute('data-hydrated', /.*/);
    }
  });
});
