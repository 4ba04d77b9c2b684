import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's chromium package puts the browser (scripts/chromium.mjs installs it). */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for a headless Chromium on a machine with a closed network: no sandbox (tests run as
 * root), no GPU, and none of the background connections (updates, sync, safe browsing) the
 * network would refuse at every start.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The executable `npm test` found or installed (NUDGE_CHROMIUM), else Debian's. */
export function chromiumExecutable(): string {
  const path = process.env.NUDGE_CHROMIUM ?? DEBIAN_CHROMIUM;
  if (!existsSync(path)) {
    throw new Error(`no Chromium at ${path}: run \`node scripts/chromium.mjs\` (npm test does) or set NUDGE_CHROMIUM`);
  }
  return path;
}

/** A headless Chromium driven by playwright-core; close it in afterAll. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: CHROMIUM_FLAGS });
}
