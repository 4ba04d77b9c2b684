import { spawn, spawnSync } from 'node:child_process';
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

/**
 * The verdict itself, on rows made up for it: the run above could only pass, were it blind.
 * (scripts/chaos-verdict.mjs is ESM; jest runs CommonJS, so a child node process evaluates it.)
 */
describe('the chaos verdict', () => {
  const sent = (userId: string, triggerEventId: string, stepId?: string) => ({
    userId,
    campaignId: 'c',
    triggerEventId,
    stepId,
    outcome: 'sent',
  });
  const simulated = [
    sent('u1', 'e1'),
    { ...sent('u1', 'e2'), outcome: 'scheduled' },
    sent('u1', 'e2'),
    sent('u2', 'e3', 'hello'),
    { ...sent('u2', 'e4'), outcome: 'capped' },
  ];
  const decisions = simulated
    .filter((d) => d.outcome !== 'scheduled')
    .map((d) => ({
      user_id: d.userId,
      campaign_id: d.campaignId,
      trigger_event_id: d.triggerEventId,
      step_id: d.stepId ?? 'main',
      outcome: d.outcome,
    }));
  const message = (triggerEventId: string, stepId = 'main', status = 'sent', history: object[] = []) => ({
    campaign_id: 'c',
    trigger_event_id: triggerEventId,
    step_id: stepId,
    status,
    status_history: history,
  });
  const messages = [message('e1'), message('e2'), message('e3', 'hello', 'unknown', [{ status: 'unknown', at: '2026-12-03T12:00:00Z' }])];
  const clean = { simulated, decisions, messages, providerSends: { 'c:e1:main': 1, 'c:e2:main': 1 } };

  function verdictOf(input: object): { passed: boolean; line: string } {
    const script = `
      import { chaosVerdict, summaryLine } from ${JSON.stringify(path.join(ROOT, 'scripts', 'chaos-verdict.mjs'))};
      const verdict = chaosVerdict(${JSON.stringify(input)});
      console.log(JSON.stringify({ passed: verdict.passed, line: summaryLine({ events: 5, verdict, faults: 'none' }) }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout);
  }

  it('passes a run where every send reached the provider once (a skipped scheduled, an unknown aside)', () => {
    expect(verdictOf(clean)).toEqual({
      passed: true,
      line: '5 events, 3 expected sends, 2 delivered, 0 lost, 0 duplicated, 1 unknown, faults: none',
    });
  });

  it('fails on a lost send, a duplicate, a missing or extra decision, a message left queued, a send nobody decided', () => {
    expect(verdictOf({ ...clean, providerSends: { 'c:e1:main': 0, 'c:e2:main': 2 } })).toEqual({
      passed: false,
      line: '5 events, 3 expected sends, 0 delivered, 1 lost, 1 duplicated, 1 unknown, faults: none',
    });
    expect(verdictOf({ ...clean, decisions: decisions.slice(1) }).passed).toBe(false);
    expect(verdictOf({ ...clean, decisions: [...decisions, { ...decisions[0], outcome: 'scheduled' }] }).passed).toBe(false);
    expect(verdictOf({ ...clean, messages: [message('e1', 'main', 'queued'), ...messages.slice(1)] }).passed).toBe(false);
    expect(verdictOf({ ...clean, providerSends: { ...clean.providerSends, 'c:e9:main': 1 } }).passed).toBe(false);
  });
});

/** What `--replicas N` starts and kills (scripts/local-stack.mjs, scripts/chaos-faults.mjs are ESM: evaluated in a child node). */
describe('replicas in the local stack and the fault plan', () => {
  function evaluate(expression: string): unknown {
    const script = `
      import { stackInstances } from ${JSON.stringify(path.join(ROOT, 'scripts', 'local-stack.mjs'))};
      import { killsPerInstance } from ${JSON.stringify(path.join(ROOT, 'scripts', 'chaos-faults.mjs'))};
      let answer;
      try { answer = ${expression}; } catch (error) { answer = { error: error.message }; }
      console.log(JSON.stringify(answer));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout);
  }
  const ports = '{ ingest: 3100, rules: 3101, dispatch: 3102 }';

  it('runs N instances each of rules and dispatch, one ingest, each on a port of its own', () => {
    expect(evaluate(`stackInstances(${ports}, 2).map((i) => [i.name, i.service, i.variable, i.port])`)).toEqual([
      ['ingest', 'ingest', 'INGEST_PORT', 3100],
      ['rules', 'rules', 'RULES_PORT', 3101],
      ['rules-2', 'rules', 'RULES_PORT', 3111],
      ['dispatch', 'dispatch', 'DISPATCH_PORT', 3102],
      ['dispatch-2', 'dispatch', 'DISPATCH_PORT', 3112],
    ]);
    expect(evaluate(`stackInstances(${ports}).map((i) => i.name)`)).toEqual(['ingest', 'rules', 'dispatch']);
    expect(evaluate(`stackInstances({ ...${ports}, 'rules-2': 4000 }, 2).find((i) => i.name === 'rules-2').port`)).toBe(4000);
    expect(evaluate(`stackInstances({ ingest: 3100, rules: 3101, dispatch: 3111 }, 2)`)).toEqual({
      error: 'dispatch and rules-2 would both listen on port 3111; give them other ports',
    });
  });

  it('kills every instance of a replicated service at least once, the others as often as without replicas', () => {
    const full = '{ ingest: 2, rules: 2, dispatch: 2, kafka: 1, postgres: 1 }';
    expect(evaluate(`killsPerInstance(${full}, 2)`)).toEqual({
      ingest: 2,
      rules: 1,
      'rules-2': 1,
      dispatch: 1,
      'dispatch-2': 1,
      kafka: 1,
      postgres: 1,
    });
    expect(evaluate(`killsPerInstance({ rules: 1, dispatch: 1 }, 3)`)).toEqual({
      rules: 1,
      'rules-2': 1,
      'rules-3': 1,
      dispatch: 1,
      'dispatch-2': 1,
      'dispatch-3': 1,
    });
    expect(evaluate(`killsPerInstance(${full}, 1)`)).toEqual({ ingest: 2, rules: 2, dispatch: 2, kafka: 1, postgres: 1 });
  });
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
