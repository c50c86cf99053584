import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  acceptInvitation,
  counselorOpensNewCase,
  createInvitationLink,
  expect,
  signIn,
  test,
  uniqueSuffix,
  visit,
  waitForPageReady,
} from './fixtures';

// Homework that never loses a word. With JavaScript on, a partner's answer is saved as a
// draft while they type; when their session ends mid-letter, every word stays on the page
// (and in this browser tab), they are asked to sign in again, and afterwards the words are
// put back and saved. With JavaScript off, "Save draft" saves as before, and a form sent
// after the sign-in has lapsed is kept by the server and sent once she signs in again.
//
// The shared e2e server keeps the usual idle timeout (other specs sign in once and go on
// for minutes), so this spec ends the session the way the server sees an expired one. With
// JavaScript on, the browser no longer sends the session cookie, and every request is "not
// signed in". With JavaScript off, the server must still be shown whose session it was, so
// the cookie stays and the session's row is made 31 minutes idle in the database.

/** Makes every session of the account `email` 31 minutes idle, past the 30-minute idle
 *  timeout, in the e2e server's database: its next request finds the session lapsed. */
function lapseSessions(email: string) {
  const db = path.join(process.env.TRELLIS_E2E_DATA_DIR!, 'trellis.db');
  const quoted = email.replaceAll("'", "''");
  execFileSync('sqlite3', [
    '-cmd',
    '.timeout 5000',
    db,
    `update user_session set last_seen_at = last_seen_at - 31*60*1000 ` +
      `where app_user_id = (select app_user_id from app_user where email = '${quoted}')`,
  ]);
}

/** Lets the server's copy of the sessions lapse too: it trusts a session it read for 5
 *  seconds (`SESSION_FRESH_FOR`), where in life the person has been away half an hour. */
async function afterTheSessionCopyLapses(page: Page) {
  await page.waitForTimeout(6_000);
}

/** The counselor opens a case, Avery joins, and the counselor sends Avery homework of
 *  their own. Returns Avery's page (on the homework), her password and the homework id. */
async function averyHasHomework(
  page: Page,
  jsEnabled: boolean,
  newBrowserPage: () => Promise<Page>,
  title: string,
) {
  const couple = await counselorOpensNewCase(page, jsEnabled, 'W');
  const link = await createInvitationLink(page, jsEnabled, couple, 1);
  const avery = couple.partners[0];
  const averyPage = await newBrowserPage();
  const password = await acceptInvitation(averyPage, jsEnabled, link, avery);

  await visit(page, jsEnabled, `${couple.caseUrl}/assign`);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Instructions', { exact: true }).fill('Take all the time you need.');
  await page.getByLabel('For', { exact: true }).selectOption({ label: `${avery.name} only` });
  await page.getByRole('button', { name: 'Send homework' }).click();
  await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}/homework\\?assigned=1(#homework)?$`));

  await visit(averyPage, jsEnabled, '/');
  await averyPage.getByRole('link', { name: title, exact: true }).click();
  await expect(averyPage).toHaveURL(/\/homework\/[0-9a-f-]{36}$/);
  await waitForPageReady(averyPage, jsEnabled);
  const id = new URL(averyPage.url()).pathname.split('/').pop()!;
  return { averyPage, avery, password, id };
}

test.describe('autosave', () => {
  test('a long answer survives the session ending while the partner types', async ({
    page,
    jsEnabled,
    newBrowserPage,
    browserErrors,
  }) => {
    test.setTimeout(120_000);
    const rand = uniqueSuffix();
    const title = `A long letter ${rand}`;
    const { averyPage, avery, password, id } = await averyHasHomework(
      page,
      jsEnabled,
      newBrowserPage,
      title,
    );
    const box = averyPage.getByLabel('Your response', { exact: true });
    const first = `FIRST-${rand}: ${'I keep coming back to the evening we talked. '.repeat(40).trim()}`;
    const second = `\nSECOND-${rand}: and there is more I want to say, slowly.`;

    if (!jsEnabled) {
      // Without JavaScript nothing saves on its own: "Save draft" does, as before.
      await box.fill(first);
      await averyPage.getByRole('button', { name: 'Save draft' }).click();
      await expect(averyPage).toHaveURL(new RegExp(`/homework/${id}\\?saved=1$`));
      await waitForPageReady(averyPage, jsEnabled);
      await expect(averyPage.getByRole('status')).toHaveText('Draft saved.');
      await expect(box).toHaveValue(first);
      await expect(averyPage.getByText(/^Draft saved \d+ \w+ \d\d:\d\d\. Only you can see a draft\.$/)).toBeVisible();

      // Her sign-in lapses while she writes on, and she submits: the server keeps the form
      // and asks her to sign in again, saying her words are kept for her alone.
      lapseSessions(avery.email);
      await afterTheSessionCopyLapses(averyPage);
      await box.fill(first + second);
      await averyPage.getByRole('button', { name: 'Submit', exact: true }).click();
      await expect(averyPage).toHaveURL(/\/login\?held=1$/);
      await waitForPageReady(averyPage, jsEnabled);
      await expect(averyPage.getByRole('status')).toContainText('It is being kept for you');

      // Signing in again sends the kept form, and she lands where submitting takes her.
      await signIn(averyPage, avery.email, password);
      await expect(averyPage).toHaveURL(new RegExp(`/homework/${id}\\?submitted=1$`));
      await waitForPageReady(averyPage, jsEnabled);
      await expect(averyPage.getByRole('status')).toContainText('Submitted.');
      await expect(averyPage.getByLabel('Your response', { exact: true })).toHaveValue(first + second);
      await expect(averyPage.getByText(/^You submitted this on /)).toBeVisible();

      // A submission, unlike a draft, is what the counselor reads.
      await visit(page, jsEnabled, `/assignments/${id}`);
      await expect(page.getByText(`SECOND-${rand}`)).toBeVisible();
      return;
    }

    // Typing saves a draft on its own, quietly, and never submits.
    await box.fill(first);
    await expect(averyPage.getByRole('status')).toHaveText(/^Draft saved at \d\d:\d\d\. Only you can see it\.$/, {
      timeout: 15_000,
    });
    await expect(averyPage).toHaveURL(new RegExp(`/homework/${id}$`));

    // The session ends while Avery writes on.
    await averyPage.context().clearCookies({ name: 'trellis_session' });
    await box.fill(first + second);
    await expect(averyPage.getByRole('status')).toHaveText('Not saved yet: you were signed out.', {
      timeout: 15_000,
    });
    const note = averyPage.locator('.signed-out-note');
    await expect(note).toContainText('Every word is still here');
    await expect(box).toHaveValue(first + second);

    // She signs in again and comes back: the words are put back and saved.
    await note.getByRole('link', { name: 'Sign in again' }).click();
    await expect(averyPage).toHaveURL(/\/login$/);
    await waitForPageReady(averyPage, jsEnabled);
    await signIn(averyPage, avery.email, password);
    await expect(averyPage).toHaveURL(/\/$/);
    await waitForPageReady(averyPage, jsEnabled);
    await visit(averyPage, jsEnabled, `/homework/${id}`);
    await expect(averyPage.getByLabel('Your response', { exact: true })).toHaveValue(first + second);
    await expect(averyPage.getByRole('status')).toHaveText(/^Draft saved at \d\d:\d\d\./, {
      timeout: 15_000,
    });
    // Saved, the tab's copy is gone: a fresh visit shows what only the server can have kept.
    expect(await averyPage.evaluate(() => sessionStorage.length)).toBe(0);
    await visit(averyPage, jsEnabled, `/homework/${id}`);
    await expect(averyPage.getByLabel('Your response', { exact: true })).toHaveValue(first + second);

    // The counselor never reads a draft.
    await visit(page, jsEnabled, `/assignments/${id}`);
    expect(await page.content()).not.toContain(`SECOND-${rand}`);

    // The refused save (401, "not signed in") is the one browser error this journey expects.
    const refused = browserErrors.filter((e) => e.includes('status of 401'));
    expect(refused.length).toBeGreaterThan(0);
    browserErrors.splice(0, browserErrors.length, ...browserErrors.filter((e) => !e.includes('status of 401')));
  });
});
