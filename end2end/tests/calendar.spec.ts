import {
  acceptInvitation,
  counselorOpensNewCase,
  createInvitationLink,
  expect,
  sectionUrl,
  test,
  uniqueSuffix,
  visit,
} from './fixtures';

// Calendars: a partner makes their private calendar address in Settings, a calendar app
// (here a plain request, no sign-in) reads their session from it, named only by its kind;
// resetting the address stops the old one at once. JS on and off.

/** A `datetime-local` value `days` from today at `time`. */
function dayAt(days: number, time: string): string {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  return `${d.toISOString().slice(0, 10)}T${time}`;
}

test('a partner subscribes to their sessions with a private calendar address', async ({
  page,
  pageReady,
  jsEnabled,
  newBrowserPage,
}) => {
  test.setTimeout(150_000);
  const couple = await counselorOpensNewCase(page, jsEnabled, 'K');
  const [avery, other] = couple.partners;
  const link = await createInvitationLink(page, jsEnabled, couple, 1);
  const theirs = await newBrowserPage();
  await acceptInvitation(theirs, jsEnabled, link, avery);
  const joining = `https://meet.example.org/${uniqueSuffix()}`;

  // The counselor plans a joint video session with its joining link.
  await page.goto(sectionUrl(couple.caseUrl, 'sessions'));
  await pageReady();
  const sessions = page.getByRole('region', { name: 'Sessions' });
  await sessions.getByText('Schedule a session').click();
  await sessions.getByLabel('Date and time').fill(dayAt(5, '09:45'));
  await sessions.getByLabel('Format').selectOption({ label: 'Video' });
  await sessions.getByLabel('Who attends').selectOption({ label: 'Both partners' });
  await sessions.getByLabel('Joining link or place (optional)').fill(joining);
  await sessions.getByRole('button', { name: 'Schedule the session' }).click();
  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?scheduled=1$/);
  await expect(page.getByRole('link', { name: 'Add to my calendar (.ics file)' })).toBeVisible();

  // The partner's home offers the session as a file too.
  await visit(theirs, jsEnabled, '/');
  const next = theirs.getByRole('listitem').filter({ hasText: '09:45' });
  await expect(next.getByRole('link', { name: /Add the session on .*09:45 to my calendar/ })).toBeVisible();

  // Settings: the Calendar section explains, and makes the address.
  await visit(theirs, jsEnabled, '/settings');
  const calendar = theirs.getByRole('region', { name: 'Calendar' });
  await expect(calendar).toContainText('Anyone who has it can see your session times');
  await calendar.getByRole('button', { name: 'Create my calendar address' }).click();
  await pageReady();
  const address = await theirs
    .getByRole('region', { name: 'Calendar' })
    .getByLabel('Your calendar address')
    .inputValue();
  expect(address).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);

  // A calendar app reads it without signing in.
  const feed = await theirs.request.get(address, { headers: { cookie: '' } });
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
  const ics = await feed.text();
  expect(ics).toContain('BEGIN:VCALENDAR\r\n');
  expect(ics).toContain('SUMMARY:Counseling session (joint)\r\n');
  expect(ics).toContain(`URL:${joining}\r\n`);
  for (const name of [avery.first, other.first, couple.caseName]) {
    expect(ics).not.toContain(name);
  }

  // Resetting makes a new address; the old one stops at once.
  await theirs
    .getByRole('region', { name: 'Calendar' })
    .getByRole('button', { name: 'Reset my calendar address' })
    .click();
  await pageReady();
  const fresh = await theirs
    .getByRole('region', { name: 'Calendar' })
    .getByLabel('Your calendar address')
    .inputValue();
  expect(fresh).not.toBe(address);
  expect((await theirs.request.get(address)).status()).toBe(404);
  expect((await theirs.request.get(fresh)).status()).toBe(200);
});
