#!/usr/bin/env node
// `npm test`: installs dependencies if needed, then runs the whole jest suite (unit and
// integration against a real Kafka + Postgres, brought up once by the global setup; the
// recipient pages in headless Chromium, installed by scripts/chromium.mjs when missing).
// Extra arguments go to jest, e.g. `npm test -- services/rules`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './chromium.mjs';
import { ensureDependencies } from './dependencies.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureDependencies(root);
// The preference and widget pages are tested in a real headless Chromium.
const chromium = ensureChromium();
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const result = spawnSync(process.execPath, [jest, '--maxWorkers=2', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { KAFKAJS_NO_PARTITIONER_WARNING: '1', NUDGE_CHROMIUM: chromium, ...process.env },
});
process.exit(result.status ?? 1);
