import { existsSync } from 'node:fs';

/** Where the system Chromium lives; browser tests drive it with playwright-core. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumMissingReason = `Chromium not found at ${chromiumPath}: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH`;

/**
 * Browser tests skip with a reason on a developer's machine without Chromium, but under CI
 * a missing browser is a failure: a green run must never hide tests that did not run.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI) throw new Error(chromiumMissingReason);
  console.warn(`skipped: ${chromiumMissingReason}`);
  return false;
}

/** Flags that keep headless Chromium quiet on a machine without internet, running as root. */
export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
