import {
  acceptInvitation,
  counselorOpensNewCase,
  createInvitationLink,
  expect,
  openCaseSection,
  sectionUrl,
  test,
  uniqueSuffix,
  visit,
} from './fixtures';

// Where a session happens: the counselor adds an online session with its joining link, and
// the partner finds the link with the date and time on their home, told whether it is a
// joint or an individual session.

/** A `datetime-local` value `days` from today at `time`. */
function dayAt(days: number, time: string): string {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  return `${d.toISOString().slice(0, 10)}T${time}`;
}

test('a counselor adds an online session and the partner sees the joining link', async ({
  page,
  pageReady,
  jsEnabled,
  newBrowserPage,
}) => {
  test.setTimeout(120_000);
  const couple = await counselorOpensNewCase(page, jsEnabled, 'S');
  const [avery] = couple.partners;
  const link = await createInvitationLink(page, jsEnabled, couple, 1);
  const theirs = await newBrowserPage();
  await acceptInvitation(theirs, jsEnabled, link, avery);
  const joining = `https://meet.example.org/${uniqueSuffix()}`;

  await openCaseSection(page, jsEnabled, couple.caseUrl, 'sessions');
  const sessions = page.getByRole('region', { name: 'Sessions' });
  await sessions.getByText('Schedule a session').click();
  await sessions.getByLabel('Date and time').fill(dayAt(4, '16:30'));
  await sessions.getByLabel('Format').selectOption({ label: 'Video' });
  await sessions.getByLabel('Who attends').selectOption({ label: 'Both partners' });
  // A link that is not one is refused in words, and nothing is scheduled.
  await sessions.getByLabel('Joining link or place (optional)').fill('meet.example.org/room');
  await sessions.getByRole('button', { name: 'Schedule the session' }).click();
  await expect(page.getByRole('alert')).toContainText('starting with https://');
  await page.goto(sectionUrl(couple.caseUrl, 'sessions'));
  await pageReady();
  await sessions.getByText('Schedule a session').click();
  await sessions.getByLabel('Date and time').fill(dayAt(4, '16:30'));
  await sessions.getByLabel('Format').selectOption({ label: 'Video' });
  await sessions.getByLabel('Who attends').selectOption({ label: 'Both partners' });
  await sessions.getByLabel('Joining link or place (optional)').fill(joining);
  await sessions.getByRole('button', { name: 'Schedule the session' }).click();
  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?scheduled=1$/);
  await pageReady();

  await visit(theirs, jsEnabled, '/');
  const next = theirs.getByRole('listitem').filter({ hasText: '16:30' });
  await expect(next).toContainText('Video');
  await expect(next).toContainText('Joint session');
  const join = next.getByRole('link', { name: /Join the video session on .*16:30/ });
  await expect(join).toHaveAttribute('href', joining);
  await expect(join).toHaveAttribute('rel', 'noopener noreferrer');
});
