import { demo, expect, test, visit, waitForPageReady } from './fixtures';

// Private by design: step 1's account letter is for the counselor's eyes only. Alex, who
// wrote it, finds no "share with my partner" choice on it and reads why; Sam never sees it.

const LETTER = 'An account in your own words';

test('a counselor-only exercise offers no share choice and says why', async ({
  jsEnabled,
  newBrowserPageAs,
}) => {
  const alex = await newBrowserPageAs(demo.alex);
  await visit(alex, jsEnabled, '/');
  await alex.getByRole('link', { name: LETTER, exact: true }).click();
  await waitForPageReady(alex, jsEnabled);
  await expect(alex.getByRole('heading', { level: 1, name: LETTER })).toBeVisible();
  await expect(alex.getByText('Only your counselor reads what you write here.')).toBeVisible();
  await expect(alex.getByRole('group', { name: 'Who can read this answer?' })).toHaveCount(0);
  await expect(alex.getByRole('radio', { name: 'My counselor and my partner' })).toHaveCount(0);
  // Alex's letter as the demo wrote it is still there to edit, for the counselor only.
  await expect(alex.getByRole('button', { name: 'Submit', exact: true })).toBeVisible();

  const sam = await newBrowserPageAs(demo.sam);
  await visit(sam, jsEnabled, '/');
  await expect(sam.getByText(LETTER)).toHaveCount(0);
  await expect(sam.getByText('I kept up a secret closeness')).toHaveCount(0);
});
