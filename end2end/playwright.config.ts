import { defineConfig, devices } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Browser end-to-end tests for Trellis. This config builds nothing: run
// `scripts/build-site.sh debug` from the repository root first.

const repoRoot = path.resolve(__dirname, '..');
const siteRoot = path.join(repoRoot, 'target', 'site');
const serverBin = process.env.TRELLIS_E2E_SERVER_BIN
  ? path.resolve(process.env.TRELLIS_E2E_SERVER_BIN)
  : path.join(repoRoot, 'target', 'debug', 'server');
const port = Number(process.env.TRELLIS_E2E_PORT || 3917);
const baseURL = `http://127.0.0.1:${port}`;

for (const needed of [serverBin, path.join(siteRoot, 'pkg', 'trellis.wasm')]) {
  if (!fs.existsSync(needed)) {
    throw new Error(
      `${needed} is missing. Build the site first: (cd ${repoRoot} && scripts/build-site.sh debug)`,
    );
  }
}

// One fresh data directory per run, so the demo practice is seeded anew. This file is
// loaded again in every worker process; the variable (inherited by the workers) makes sure
// only the first load creates a directory. global-teardown.ts removes it.
if (!process.env.TRELLIS_E2E_DATA_DIR) {
  process.env.TRELLIS_E2E_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'trellis-e2e-'));
  process.env.TRELLIS_E2E_DATA_DIR_OWNED = '1';
}
const dataDir = process.env.TRELLIS_E2E_DATA_DIR;

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: process.env.TRELLIS_E2E_CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  },
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: 'list',
  // A journey clicks through several pages as several people; on a busy 2-core machine that
  // can take a minute. Long journeys set their own, longer limit.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  globalTeardown: './global-teardown.ts',
  use: {
    baseURL,
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'js', use: { ...chromium, javaScriptEnabled: true } },
    { name: 'nojs', use: { ...chromium, javaScriptEnabled: false } },
  ],
  webServer: {
    command: serverBin,
    cwd: repoRoot,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      TRELLIS_DEMO: '1',
      TRELLIS_DATA_DIR: dataDir,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      RUST_LOG: process.env.RUST_LOG || 'warn',
    },
  },
});
