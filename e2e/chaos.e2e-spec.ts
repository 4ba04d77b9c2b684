import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
/** The run's own budget: `npm test` allows this file three minutes on a busy 2-core machine. */
const BUDGET_MS = 170_000;

/**
 * `npm run chaos`, seeded and small (issue #11): its own Postgres and Kafka broker (the shared
 * ones are never touched), the three services as processes, each kill -9'd once and restarted,
 * the broker kill -9'd and restarted, the provider failing for a few seconds; then every
 * decision `nudge simulate` expects is in the log and every expected send reached the fake
 * Twilio exactly once (or is counted unknown).
 */
describe('a seeded small chaos run (scripts/chaos.mjs --small)', () => {
  it('loses nothing, sends nothing twice and decides as simulate does, through kills of every process', async () => {
    const run = await runChaos(['--small', '--seed', '7']);

    const summary = run.output.split('\n').find((line) => /^\d+ events, \d+ expected sends/.test(line));
    // On failure the diff shows the summary and the run's own account of what went wrong.
    // (Its own lines, not the services' JSON logs it prints after a failure.)
    const why = run.exitCode === 0 ? [] : run.output.split('\n').filter((line) => !line.startsWith('{'));
    expect({ exitCode: run.exitCode, summary, why: why.slice(-40) }).toEqual({
      exitCode: 0,
      summary: expect.stringMatching(
        /^2000 events, (\d+) expected sends, \d+ delivered, 0 lost, 0 duplicated, \d+ unknown, faults: ingest×1 rules×1 dispatch×1 kafka×1 provider \d+s$/,
      ),
      why: [],
    });
    const [, expected, delivered, unknown] =
      /(\d+) expected sends, (\d+) delivered, 0 lost, 0 duplicated, (\d+) unknown/.exec(summary ?? '') ?? [];
    expect(Number(delivered) + Number(unknown)).toBe(Number(expected));
    expect(Number(expected)).toBeGreaterThan(1_000);
  }, 180_000);
});

function runChaos(args: string[]): Promise<{ exitCode: number | null; output: string }> {
  // Its own broker: the suite's KAFKA_BROKERS names the shared one, which must never be killed.
  const env = { ...process.env };
  delete env.KAFKA_BROKERS;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'chaos.mjs'), ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk) => (output += chunk.toString()));
    // Past the budget, SIGINT: the run cleans up everything it started and exits 130.
    const timer = setTimeout(() => child.kill('SIGINT'), BUDGET_MS);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output });
    });
  });
}
