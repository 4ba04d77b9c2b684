import { createRulesApp } from '@nudge/rules';
import { eventually, TestStack } from '@nudge/testing';
import { Client } from 'pg';
import { ConversionTracking } from '../src/conversions/conversion-tracking';
import { JourneyPoller } from '../src/journeys/journey-poller.service';
import { TriggerEvaluation } from '../src/triggers/trigger-evaluation.service';
import { deadlocks, envelope, insertReachableProfiles, otherBackends, signal, waitingOnAdvisoryLock } from './support/lock-probes';

const ROUNDS = 4;
const USERS_PER_ROUND = 40;
/** Users 0..CANCELLED-1 of a round send the journey's exception while their run is due; the rest only have the run due. */
const CANCELLED = 30;

const userOf = (round: number, i: number) => `trek-${round}-${String(i).padStart(2, '0')}`;

const trek = {
  id: 'trek',
  name: 'lock order journey',
  category: 'transactional',
  status: 'active',
  trigger: { event: 'trek_started' },
  exceptions: [{ event: 'trek_cancelled' }],
  steps: [
    { id: 'pause', type: 'wait', duration: 'PT1H' },
    { id: 'hello', type: 'message', message: { channel: 'sms', sender: 'ACME', body: 'Hello' } },
  ],
};

// Item 8 of issue 11, for journeys: the journey poller reads due runs without locks, takes their
// users' locks, then reads the runs again; trigger evaluation holds the same locks while an
// exception ends those runs. Started while evaluation holds its users, the poller waits for them
// (it holds no row meanwhile), then leaves out the runs that ended: no deadlock, and each run
// either sends its message once or is cancelled once.
describe('the journey poller and trigger evaluation on the same users', () => {
  let stack: TestStack;
  let db: Client;

  beforeAll(async () => {
    stack = await TestStack.start({
      factories: { rules: createRulesApp },
      label: 'journey-lock-order',
      // The app's own pollers stay out of the way; the test moves the runs itself.
      env: { TIMER_WORKERS: '1', TIMER_POLL_MS: '10000' },
    });
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    expect((await stack.client('rules').put('/v1/campaigns/trek', trek)).status).toBe(200);
    const users = Array.from({ length: ROUNDS * USERS_PER_ROUND }, (_, n) => userOf(Math.floor(n / USERS_PER_ROUND), n % USERS_PER_ROUND));
    await insertReachableProfiles(db, users);
  });

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('moves on or cancels every due run once and the deadlock counter stays where it was', async () => {
    const deadlocksBefore = await deadlocks(db);
    const app = stack.app('rules');
    const poller = app.get(JourneyPoller);
    const evaluation = app.get(TriggerEvaluation);
    const conversions = app.get(ConversionTracking);
    const record = conversions.plan.bind(conversions);
    let round: { locked: ReturnType<typeof signal>; gate: ReturnType<typeof signal> } | null = null;
    jest.spyOn(conversions, 'plan').mockImplementation(async (manager, events) => {
      if (round) {
        round.locked.resolve();
        await round.gate.promise;
      }
      return record(manager, events);
    });

    for (let r = 0; r < ROUNDS; r++) {
      const startedAt = new Date(Date.now() - 60_000);
      const users = Array.from({ length: USERS_PER_ROUND }, (_, i) => userOf(r, i));
      await evaluation.evaluate(users.map((u, i) => envelope(`trek-start-${r}-${i}`, u, 'trek_started', startedAt)));
      // The runs wait an hour; make them due now.
      const { rowCount } = await db.query(`UPDATE journey_runs SET due_at = now() - interval '1 second' WHERE user_id = ANY($1)`, [users]);
      expect(rowCount).toBe(USERS_PER_ROUND);

      round = { locked: signal(), gate: signal() };
      const evaluated = evaluation.evaluate(
        users.slice(0, CANCELLED).map((u, i) => envelope(`trek-stop-${r}-${i}`, u, 'trek_cancelled', new Date())),
      );
      await round.locked.promise;
      let moved = false;
      const moving = poller.moveDue().finally(() => (moved = true));
      await eventually(async () => (moved || (await waitingOnAdvisoryLock(db)) ? true : undefined), {
        what: 'the journey poller to wait on a user lock or to finish',
        timeoutMs: 10_000,
        intervalMs: 20,
      });
      round.gate.resolve();
      await Promise.all([evaluated, moving]);
      round = null;
      await eventually(async () => ((await poller.moveDue()) === 0 ? true : undefined), {
        what: `round ${r}'s runs to move on`,
        intervalMs: 20,
      });
    }

    const { rows } = await db.query(
      `SELECT user_id, array_agg(step_id || ':' || outcome ORDER BY step_id, outcome) AS outcomes FROM decisions
       WHERE campaign_id = 'trek' AND outcome IN ('sent', 'cancelled_exception') GROUP BY user_id`,
    );
    const outcomes = new Map(rows.map((row) => [row.user_id as string, row.outcomes as string[]]));
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < USERS_PER_ROUND; i++) {
        expect([userOf(r, i), outcomes.get(userOf(r, i))]).toEqual([
          userOf(r, i),
          [i < CANCELLED ? 'pause:cancelled_exception' : 'hello:sent'],
        ]);
      }
    }
    const { rows: active } = await db.query(`SELECT count(*)::int AS n FROM journey_runs WHERE status = 'active'`);
    expect(active[0].n).toBe(0);

    await stack.stopService('rules');
    await eventually(async () => ((await otherBackends(db)) === 0 ? true : undefined), { what: "the app's connections to end" });
    expect(await deadlocks(db)).toBe(deadlocksBefore);
  });
});
