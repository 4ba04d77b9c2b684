import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { eventually } from './eventually';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** Builds `services/<name>` and the libs it uses (`tsc -b`), so a test can run it as a real process. */
export function buildService(name: 'ingest' | 'rules' | 'dispatch'): void {
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', `services/${name}`], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`building ${name} failed:\n${build.stdout}${build.stderr}`);
}

/**
 * Starts the built service (`buildService` first) as a process of its own — one a test can
 * `kill('SIGKILL')` — on `port` (its `<NAME>_PORT`) with `env` over this process's, its logs
 * at `error` on stderr; resolves once its GET /health answers 200.
 */
export async function startBuiltService(
  name: 'ingest' | 'rules' | 'dispatch',
  port: number,
  env: Record<string, string | undefined>,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, `services/${name}/dist/main.js`)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'error', [`${name.toUpperCase()}_PORT`]: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.ok ? true : undefined), {
    what: `${name} healthy on :${port}`,
    timeoutMs: 60_000,
  });
  return child;
}

/** A loopback port free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
