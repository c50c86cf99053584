import fs from 'node:fs';

// Removes the temporary data directory that playwright.config.ts created for this run
// (never one passed in through TRELLIS_E2E_DATA_DIR).
export default function globalTeardown() {
  const dir = process.env.TRELLIS_E2E_DATA_DIR;
  if (dir && process.env.TRELLIS_E2E_DATA_DIR_OWNED === '1') {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
