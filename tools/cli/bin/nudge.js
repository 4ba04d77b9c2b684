#!/usr/bin/env node
// `npx nudge …`: runs the built CLI, building it first on a fresh clone.
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const main = path.join(__dirname, '..', 'dist', 'main.js');
if (!existsSync(main)) {
  const root = path.join(__dirname, '..', '..', '..');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const build = spawnSync(process.execPath, [tsc, '-b', 'tools/cli'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
require(main)
  .main(process.argv)
  .then((code) => process.exit(code))
  .catch((error) => {
    console.error(`nudge: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
