import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's chromium package, which playwright-core drives (no browser download). */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * One headless Chromium for the enclosing `describe` (or file): launched before its tests, closed after them.
 * Returns the function a test calls for the browser; it fails the test with the reason when Chromium is
 * missing or could not be launched.
 */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  let launchError = '';
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      launchError = `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium; .ci/run does this)`;
      return;
    }
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    } catch (err) {
      launchError = `headless Chromium (${CHROMIUM}) could not be launched: ${(err as Error).message}`;
    }
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error(launchError || 'Chromium was not launched');
    return browser;
  };
}
