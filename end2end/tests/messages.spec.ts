import {
  demo,
  expect,
  expectNotFound,
  openCaseFromCaseload,
  test,
  uniqueMark,
  visit,
  waitForPageReady,
} from './fixtures';

// Secure messages: a partner writes to their counselor in their private thread, which says
// who reads it; the other partner reaches it by no address; the counselor sees the unread
// count on the caseload, reads and replies; the partner reads the reply (with JS on, without
// reloading). A sender can retract a message in its first five minutes.

test('a private message goes from partner to counselor and back, and the other partner finds it nowhere', async ({
  jsEnabled,
  newBrowserPageAs,
}) => {
  test.setTimeout(180_000);
  const mark = uniqueMark();
  const words = `Only for Dr. Hale ${mark}: I had a hard evening and went quiet again.`;
  const answer = `Thank you for telling me ${mark}. Let us start there on Thursday.`;

  const alex = await newBrowserPageAs(demo.alex);
  await alex.getByRole('banner').getByRole('link', { name: 'Messages' }).click();
  await expect(alex).toHaveURL(/\/messages$/);
  await waitForPageReady(alex, jsEnabled);
  await expect(alex.getByRole('heading', { level: 1 })).toHaveText(
    'Your private messages with Dr. Robin Hale',
  );
  await expect(
    alex.getByText(
      'Only you and Dr. Robin Hale (your counselor) can read this conversation. Sam Rivera cannot see it.',
    ),
  ).toBeVisible();
  await expect(alex.getByText(/Messages are not for emergencies/)).toBeVisible();
  await expect(alex.getByRole('main').getByRole('link', { name: 'Get help now' })).toBeVisible();
  await alex.getByLabel('Your message').fill(words);
  await alex.getByRole('button', { name: 'Send the message' }).click();
  await expect(alex.getByText(words)).toBeVisible();
  await waitForPageReady(alex, jsEnabled);

  // The counselor sees an unread count on the caseload, reads and replies.
  const robin = await newBrowserPageAs(demo.counselor);
  const row = robin.getByRole('row').filter({ has: robin.getByRole('link', { name: 'Alex & Sam', exact: true }) });
  await expect(row.getByText(/\d+ unread messages?/)).toBeVisible();
  const caseUrl = await openCaseFromCaseload(robin, jsEnabled);
  const card = robin.getByRole('region', { name: 'Messages' });
  await card.getByRole('link', { name: 'Private messages with Alex Rivera' }).click();
  await expect(robin).toHaveURL(new RegExp(`${caseUrl}/messages/1$`));
  await waitForPageReady(robin, jsEnabled);
  await expect(robin.getByText(words)).toBeVisible();
  await expect(
    robin.getByText('Only you and Alex Rivera can read this conversation. Sam Rivera cannot see it.'),
  ).toBeVisible();
  await robin.getByLabel('Your message').fill(answer);
  await robin.getByRole('button', { name: 'Send the message' }).click();
  await expect(robin.getByText(answer)).toBeVisible();

  // Alex reads the reply: with JS on, the open page shows it by itself; with JS off, on reload.
  if (jsEnabled) {
    await expect(alex.getByText(answer)).toBeVisible({ timeout: 30_000 });
  } else {
    await visit(alex, jsEnabled, '/messages');
    await expect(alex.getByText(answer)).toBeVisible();
  }

  // Sam finds neither message anywhere, by any address.
  const sam = await newBrowserPageAs(demo.sam);
  for (const path of ['/', '/messages', '/messages/joint']) {
    await visit(sam, jsEnabled, path);
    await expect(sam.getByText(mark)).toHaveCount(0);
    expect(await sam.content()).not.toContain(mark);
  }
  for (const path of [`${caseUrl}/messages/1`, `${caseUrl}/messages/joint`, caseUrl, `${caseUrl}/progress`]) {
    await expectNotFound(sam, jsEnabled, path);
    expect(await sam.content()).not.toContain(mark);
  }
});

test('a sender retracts a message in its first minutes; a trace stays', async ({
  jsEnabled,
  newBrowserPageAs,
}) => {
  const mark = uniqueMark();
  const words = `Sent too soon ${mark}`;
  const sam = await newBrowserPageAs(demo.sam);
  await visit(sam, jsEnabled, '/messages');
  await sam.getByLabel('Your message').fill(words);
  await sam.getByRole('button', { name: 'Send the message' }).click();
  const mine = sam.getByRole('listitem').filter({ hasText: words });
  await expect(mine).toBeVisible();
  await mine.getByRole('button', { name: 'Retract this message' }).click();
  await expect(sam.getByText(words)).toHaveCount(0);
  await waitForPageReady(sam, jsEnabled);
  await expect(sam.getByText(/Message retracted by you/).first()).toBeVisible();
  expect(await sam.content()).not.toContain(mark);
});
