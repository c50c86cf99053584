import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import {
  createAccount,
  demo,
  expect,
  pathOf,
  signIn,
  signInAs,
  test,
  uniqueSuffix,
  visit,
  waitForPageReady,
} from './fixtures';

// Two-factor sign-in: the administrator of the demo practice invites a new counselor, who
// joins, sets up two-factor with an authenticator app (this test computes the codes itself,
// RFC 6238 with node's crypto), signs out, and signs in again with password and code. Runs in
// both projects (`js` and `nojs`), each with its own counselor.

/** RFC 4648 base32 to bytes (spaces ignored). */
function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/\s+/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The six-digit TOTP code of a 30-second step (HMAC-SHA1). */
function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = (((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1_000_000;
  return n.toString().padStart(6, '0');
}

function currentStep(): number {
  return Math.floor(Date.now() / 1000 / 30);
}

/** As the demo administrator: invites a counselor and returns the invitation's path. */
async function inviteCounselor(page: Page, jsEnabled: boolean, name: string, email: string) {
  await signInAs(page, jsEnabled, demo.admin);
  const invite = page.getByRole('region', { name: 'Invite a counselor' });
  await invite.getByLabel("Counselor's name").fill(name);
  await invite.getByLabel("Counselor's email").fill(email);
  await invite.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(page).toHaveURL(/\/#invitations$/);
  await waitForPageReady(page, jsEnabled);
  const field = page.getByLabel(`Invitation link for ${name}`, { exact: true });
  return pathOf(await field.inputValue());
}

test('a new counselor sets up two-factor and signs in with a code', async ({
  page,
  jsEnabled,
  pageReady,
  newBrowserPage,
}) => {
  test.setTimeout(90_000);
  expect(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1), 'RFC 6238, T = 59').toBe('287082');

  const suffix = uniqueSuffix();
  const name = `Avery Quinn ${suffix}`;
  const email = `avery.${suffix}@example.org`;
  const password = `Harbour kite ${suffix} 93`;
  const invitation = await inviteCounselor(page, jsEnabled, name, email);

  // The counselor, in a browser of their own, joins.
  const me = await newBrowserPage();
  await visit(me, jsEnabled, invitation);
  await createAccount(me, jsEnabled, password);

  // Settings link to the two-factor page; set-up shows a QR code and the key.
  await me.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await waitForPageReady(me, jsEnabled);
  await me.getByRole('link', { name: 'Manage two-factor sign-in' }).click();
  await expect(me).toHaveURL(/\/account\/two-factor$/);
  await waitForPageReady(me, jsEnabled);
  await expect(me.getByRole('heading', { level: 1, name: 'Two-factor sign-in' })).toBeVisible();
  await me.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(me).toHaveURL(/\/account\/two-factor#setup$/);
  await waitForPageReady(me, jsEnabled);
  const qr = me.getByRole('img', { name: 'QR code to scan with your authenticator app' });
  await expect(qr).toBeVisible();
  await expect(qr.locator('svg')).toHaveCount(1);
  const secret = (await me.getByTestId('mfa-secret').innerText()).replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  // A wrong code is refused with a clear message; the right one switches it on.
  const enrolStep = currentStep();
  const nearby = [-1, 0, 1, 2].map((d) => totp(secret, enrolStep + d));
  const wrong = ['000000', '111111', '222222'].find((c) => !nearby.includes(c))!;
  await me.getByLabel('Code from your app').fill(wrong);
  await me.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await waitForPageReady(me, jsEnabled);
  await expect(me.getByRole('alert')).toContainText('That code is not right.');
  await me.getByLabel('Code from your app').fill(totp(secret, enrolStep));
  await me.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(me).toHaveURL(/\/account\/two-factor\?enabled=1#recovery-codes$/);
  await waitForPageReady(me, jsEnabled);
  await expect(me.getByRole('status')).toHaveText('Two-factor sign-in is on.');
  await expect(me.getByRole('heading', { level: 2, name: 'Your recovery codes' })).toBeVisible();
  await expect(me.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);

  await me.getByRole('button', { name: 'Sign out' }).click();
  await expect(me).toHaveURL(/\/login\?signed_out=1$/);
  await waitForPageReady(me, jsEnabled);

  // The password alone is not enough: the code page comes next.
  await signIn(me, email, password);
  await expect(me).toHaveURL(/\/login\/two-factor$/);
  await waitForPageReady(me, jsEnabled);
  await expect(me.getByRole('heading', { level: 1, name: 'Enter your two-factor code' })).toBeVisible();
  await me.goto('/');
  await expect(me).toHaveURL(/\/login$/);
  await visit(me, jsEnabled, '/login/two-factor');
  // The code that switched it on cannot be used again; a later one can.
  await me.getByLabel('Code from your app, or a recovery code').fill(totp(secret, enrolStep));
  await me.getByRole('button', { name: 'Verify and sign in' }).click();
  await waitForPageReady(me, jsEnabled);
  await expect(me.getByRole('alert')).toContainText('That code has already been used.');
  const step = Math.max(currentStep(), enrolStep + 1);
  await me.getByLabel('Code from your app, or a recovery code').fill(totp(secret, step));
  await me.getByRole('button', { name: 'Verify and sign in' }).click();
  await expect(me).toHaveURL(/\/$/);
  await waitForPageReady(me, jsEnabled);
  await expect(me.getByRole('banner').getByTestId('current-user-name')).toHaveText(name);
  await expect(me.getByRole('heading', { level: 1, name: 'Your caseload' })).toBeVisible();

  // The administrator sees it on in the accounts table.
  await page.goto('/');
  await pageReady();
  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row.getByRole('button', { name: `Reset two-factor sign-in of ${name}` })).toBeVisible();
});
