#!/usr/bin/env node
// Finds (or installs) the headless Chromium the browser tests drive with playwright-core.
// `playwright install` downloads are out of reach on our machines, so the browser is
// Debian's `chromium` package: installed with apt-get when missing and we may (root, or
// passwordless sudo). NUDGE_CHROMIUM names another executable. Node built-ins only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The Chromium executable to use, installing Debian's package first when there is none. */
export function ensureChromium(log = console.log) {
  const given = process.env.NUDGE_CHROMIUM;
  if (given) {
    if (!existsSync(given)) throw new Error(`NUDGE_CHROMIUM names ${given}, which does not exist`);
    return given;
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const apt = aptGet();
  if (apt === undefined) {
    throw new Error(
      `no Chromium at ${DEBIAN_CHROMIUM} and no way to install it (apt-get as root or with sudo): ` +
        'install Debian\'s "chromium" package, or set NUDGE_CHROMIUM to a Chromium executable',
    );
  }
  log('installing Chromium for the browser tests (apt-get install chromium) ...');
  const install = () => run(apt, ['install', '-y', '--no-install-recommends', 'chromium']);
  // The package lists of a fresh machine may be missing or stale: refresh them once and retry.
  if (install() !== 0 && (run(apt, ['update']) !== 0 || install() !== 0)) {
    throw new Error('apt-get could not install chromium (see its output above)');
  }
  if (!existsSync(DEBIAN_CHROMIUM)) throw new Error(`apt-get installed chromium but ${DEBIAN_CHROMIUM} is missing`);
  return DEBIAN_CHROMIUM;
}

/** How to call apt-get here: directly as root, through passwordless sudo, or not at all. */
function aptGet() {
  if (!existsSync('/usr/bin/apt-get')) return undefined;
  if (process.getuid?.() === 0) return ['apt-get'];
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return sudo.status === 0 ? ['sudo', '-n', 'apt-get'] : undefined;
}

function run([command, ...prefix], args) {
  const result = spawnSync(command, [...prefix, ...args], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(ensureChromium());
}
