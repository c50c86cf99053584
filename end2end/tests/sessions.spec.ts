import {
  DEMO_PASSWORD,
  demo,
  expect,
  expectNotFound,
  openCaseFromCaseload,
  openCaseSection,
  signInAs,
  test,
  uniqueMark,
} from './fixtures';

// Sessions and notes: the demo counselor schedules a session for Alex & Sam, reads the
// pre-session brief, writes a SOAP note, signs it (the edit controls disappear), adds an
// addendum; Alex, signed in elsewhere, finds the session's time but no note by any path.
// Runs in both projects against one shared server, so every text it writes is unique.

/** A `datetime-local` value `days` from today at `time`. */
function dayAt(days: number, time: string): string {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  return `${d.toISOString().slice(0, 10)}T${time}`;
}

test.describe('sessions and notes', () => {
  test('schedule, brief, a signed SOAP note with an addendum; the partner sees no note', async ({
    page,
    pageReady,
    jsEnabled,
    newBrowserPageAs,
  }) => {
    test.setTimeout(90_000);
    const mark = uniqueMark();
    const secret = `SOAP-${mark}`;

    await signInAs(page, jsEnabled, demo.counselor);
    // The caseload shows each couple's next session.
    await expect(page.getByRole('columnheader', { name: 'Next session' })).toBeVisible();
    const caseUrl = await openCaseFromCaseload(page, jsEnabled);
    // The overview says when they come next.
    await expect(page.getByRole('region', { name: 'Next session' })).toBeVisible();

    // 1. Schedule a session.
    await openCaseSection(page, jsEnabled, caseUrl, 'sessions');
    const sessions = page.getByRole('region', { name: 'Sessions' });
    await sessions.getByText('Schedule a session').click();
    await sessions.getByLabel('Date and time').fill(dayAt(3, '09:15'));
    await sessions.getByLabel('Length (minutes)').fill('60');
    await sessions.getByLabel('Format').selectOption({ label: 'Phone' });
    await sessions.getByLabel('Who attends').selectOption({ label: 'Both partners' });
    await sessions.getByRole('button', { name: 'Schedule the session' }).click();
    await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?scheduled=1$/);
    await pageReady();
    const sessionPath = new URL(page.url()).pathname;
    await expect(page.getByRole('status')).toContainText('Session scheduled.');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('09:15');

    // 2. The pre-session brief: where they are, the last plan, homework, goals.
    const brief = page.getByRole('region', { name: 'Pre-session brief' });
    await expect(brief).toContainText('Step 3 of 10');
    await expect(brief).toContainText('Keep the weekly transparency exercise going');
    await expect(brief).toContainText('Rebuild everyday transparency');
    await expect(brief.getByRole('heading', { name: /Homework submitted/ })).toBeVisible();

    // 3. Write a SOAP note.
    const notes = page.getByRole('region', { name: 'Notes' });
    await notes.getByLabel('Note template').selectOption({ label: 'SOAP (subjective, objective, assessment, plan)' });
    await notes.getByLabel('Kind of note').selectOption({ label: 'Progress note' });
    await notes.getByRole('button', { name: 'Write a note' }).click();
    await expect(page).toHaveURL(/\/notes\/[0-9a-f-]{36}$/);
    await pageReady();
    const notePath = new URL(page.url()).pathname;
    await page.getByLabel('Subjective', { exact: true }).fill(`${secret} Sam felt heard this week.`);
    await page.getByLabel('Objective', { exact: true }).fill('Calm, good eye contact.');
    await page.getByLabel('Assessment', { exact: true }).fill('Steady progress on transparency.');
    await page.getByLabel('Plan', { exact: true }).fill('Continue the weekly check-in.');
    if (jsEnabled) {
      // With JavaScript, the draft saves itself while the counselor writes.
      await expect(page.getByText(/Saved automatically at \d\d:\d\d\./)).toBeVisible({ timeout: 10_000 });
      await page.reload();
      await pageReady();
      await expect(page.getByLabel('Subjective', { exact: true })).toHaveValue(`${secret} Sam felt heard this week.`);
    } else {
      await page.getByRole('button', { name: 'Save draft' }).click();
      await expect(page).toHaveURL(new RegExp(`${notePath}\\?saved=1$`));
      await pageReady();
      await expect(page.getByRole('status')).toContainText('Draft saved.');
    }

    // 4. Sign: a wrong password signs nothing; the right one locks the note.
    await page.getByLabel('Your password, to confirm it is you').fill('not the password');
    await page.getByRole('button', { name: 'Sign the note' }).click();
    await pageReady();
    await expect(page.getByRole('alert')).toContainText('That password is not right. Nothing was signed.');
    await expect(page.getByRole('button', { name: 'Save draft' })).toBeVisible();
    await expect(page.getByLabel('Subjective', { exact: true })).toHaveValue(`${secret} Sam felt heard this week.`);
    await page.getByLabel('Your password, to confirm it is you').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign the note' }).click();
    await expect(page).toHaveURL(new RegExp(`${notePath}\\?signed=1$`));
    await pageReady();
    await expect(page.getByRole('status')).toContainText('Signed. The note is now locked.');
    await expect(page.getByText(`Signed by ${demo.counselor.name}`)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save draft' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Sign the note' })).toHaveCount(0);
    await expect(page.getByRole('textbox', { name: 'Subjective' })).toHaveCount(0);
    await expect(page.getByText(`${secret} Sam felt heard this week.`)).toBeVisible();

    // 5. An addendum, signed in turn; the original text stays.
    const addendum = `ADDENDUM-${mark}: Alex called to add that the week included a hard evening.`;
    await page.getByLabel('Add an addendum').fill(addendum);
    await page.getByLabel('Your password, to sign it').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign and add the addendum' }).click();
    await expect(page).toHaveURL(new RegExp(`${notePath}\\?addendum=1#addenda$`));
    await pageReady();
    await expect(page.getByText(addendum)).toBeVisible();
    await expect(page.getByText(`${secret} Sam felt heard this week.`)).toBeVisible();

    // 6. Alex sees the session's time and format, and no note by any path.
    const alex = await newBrowserPageAs(demo.alex);
    await expect(alex.getByRole('heading', { level: 2, name: 'Your next sessions' })).toBeVisible();
    await expect(alex.getByText(/, 09:15/).first()).toBeVisible();
    expect(await alex.content()).not.toContain(secret);
    for (const path of [notePath, sessionPath]) {
      await expectNotFound(alex, jsEnabled, path);
      expect(await alex.content()).not.toContain(secret);
      expect(await alex.content()).not.toContain(`ADDENDUM-${mark}`);
    }
  });
});
