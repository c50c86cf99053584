import {
  demo,
  expect,
  sendCheckIn,
  test,
  visit,
} from './fixtures';

// Help at hand: a partner who answers that they may not be safe sees crisis services and
// when the practice responds at once, on the page their check-in lands on; their partner
// sees none of it; "Get help now" is in every partner page's header; anyone, signed in or
// not, can open the help page, and the sign-in page lists the same services.

/** The demo practice's response statement (app/src/demo/mod.rs, DEMO_RESPONSE). */
const DEMO_RESPONSE = 'Dr. Hale reads worrying check-in answers within one working day';

test('a partner who answers "not safe" sees help at once; their partner sees none of it', async ({
  jsEnabled,
  newBrowserPageAs,
}) => {
  const sam = await newBrowserPageAs(demo.sam);
  const getHelp = sam.getByRole('banner').getByRole('link', { name: 'Get help now' });
  await expect(getHelp).toBeVisible();
  await visit(sam, jsEnabled, '/check-in');
  // Sam's scores as the progress spec sends them (the counselor's table shows the latest).
  await sendCheckIn(sam, jsEnabled, { trust: '4', hope: '6', safety: "No, I don't feel safe" });
  const panel = sam.getByRole('region', { name: 'Help is here if you need it' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Emergency services' })).toBeVisible();
  await expect(panel.getByRole('link', { name: 'https://findahelpline.com' })).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'When your practice responds' })).toBeVisible();
  await expect(panel).toContainText(DEMO_RESPONSE);

  const alex = await newBrowserPageAs(demo.alex);
  for (const path of ['/', '/check-in']) {
    await visit(alex, jsEnabled, path);
    await expect(alex.getByRole('region', { name: 'Help is here if you need it' })).toHaveCount(0);
  }

  await getHelp.click();
  await expect(sam).toHaveURL(/\/help$/);
  await expect(sam.getByRole('heading', { level: 1, name: 'Get help now' })).toBeVisible();
  await expect(sam.getByRole('heading', { name: 'Emergency services' })).toBeVisible();
  await sam.getByRole('link', { name: 'Back to Trellis' }).click();
  await expect(sam.getByRole('banner').getByTestId('current-user-name')).toHaveText(demo.sam.name);
});

test('anyone can find help: on the sign-in page and the help page, signed out', async ({
  page,
  jsEnabled,
}) => {
  await visit(page, jsEnabled, '/login');
  const help = page.getByRole('region', { name: 'Need help now?' });
  await expect(help.getByRole('heading', { name: 'Emergency services' })).toBeVisible();
  await visit(page, jsEnabled, '/help');
  await expect(page).toHaveURL(/\/help$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Get help now' })).toBeVisible();
  await expect(page.getByText(DEMO_RESPONSE)).toBeVisible();
});
