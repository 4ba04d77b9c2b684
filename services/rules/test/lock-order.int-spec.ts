import { deriveSendId, MAIN_STEP } from '@nudge/contracts';
import { createRulesApp } from '@nudge/rules';
import { eventually, TestStack } from '@nudge/testing';
import { Client } from 'pg';
import { ConversionTracking } from '../src/conversions/conversion-tracking';
import { TimerPoller } from '../src/timers/timer-poller.service';
import { TriggerEvaluation } from '../src/triggers/trigger-evaluation.service';
import { deadlocks, envelope, insertReachableProfiles, otherBackends, signal, waitingOnAdvisoryLock } from './support/lock-probes';

const ROUNDS = 6;
const USERS_PER_ROUND = 40;
/** Users 0..EVALUATED-1 of a round get events; the rest only have a timer firing. */
const EVALUATED = 30;

const userOf = (round: number, i: number) => `lock-${round}-${String(i).padStart(2, '0')}`;
const cartEventOf = (round: number, i: number) => `cart-${round}-${i}`;

// Item 8 of issue 11: one lock order everywhere (a user's advisory lock before that user's rows).
// The timer poller used to delete due rows and then wait for their users' locks, while trigger
// evaluation held those locks and deleted the same rows (an exception cancelling them): Postgres
// broke the cycle by aborting one, and the retry hid it. Here both run on the same users, round
// after round, with the poller started while evaluation holds its users: the database's deadlock
// counter must not move, and every timer fires once or is cancelled once.
describe('timers and trigger evaluation on the same users', () => {
  let stack: TestStack;
  let db: Client;

  beforeAll(async () => {
    stack = await TestStack.start({
      factories: { rules: createRulesApp },
      label: 'lock-order',
      // The app's own pollers stay out of the way; the test fires the timers itself.
      env: { TIMER_WORKERS: '1', TIMER_POLL_MS: '10000' },
    });
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    const campaigns = {
      waited: { trigger: { event: 'cart_abandoned' }, delay: 'PT1H', exceptions: [{ event: 'order_placed' }] },
      instant: { trigger: { event: 'page_viewed' }, delay: 'PT0S' },
    };
    for (const [id, parts] of Object.entries(campaigns)) {
      const document = {
        id,
        name: `lock order ${id}`,
        category: 'transactional',
        status: 'active',
        message: { channel: 'sms', sender: 'ACME', body: 'Hello' },
        ...parts,
      };
      expect((await stack.client('rules').put(`/v1/campaigns/${id}`, document)).status).toBe(200);
    }
    const users = Array.from({ length: ROUNDS * USERS_PER_ROUND }, (_, n) => userOf(Math.floor(n / USERS_PER_ROUND), n % USERS_PER_ROUND));
    await insertReachableProfiles(db, users);
  });

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('fires or cancels every timer once and the deadlock counter stays where it was', async () => {
    const deadlocksBefore = await deadlocks(db);
    const { rows: versions } = await db.query(`SELECT id, version FROM campaigns WHERE id = 'waited'`);
    const waitedVersion = versions[0].version as number;
    const app = stack.app('rules');
    const poller = app.get(TimerPoller);
    const evaluation = app.get(TriggerEvaluation);
    const conversions = app.get(ConversionTracking);
    const record = conversions.plan.bind(conversions);
    let round: { locked: ReturnType<typeof signal>; gate: ReturnType<typeof signal> } | null = null;
    // Conversions are planned first thing under the batch's user locks: the moment to start the poller.
    jest.spyOn(conversions, 'plan').mockImplementation(async (manager, events) => {
      if (round) {
        round.locked.resolve();
        await round.gate.promise;
      }
      return record(manager, events);
    });

    for (let r = 0; r < ROUNDS; r++) {
      const now = new Date();
      const triggeredAt = new Date(now.getTime() - 2 * 3_600_000);
      await schedule(r, triggeredAt, new Date(now.getTime() - 1_000), waitedVersion);
      // Evaluated users: an order (cancelling the even users' timers: odd ones placed it before
      // their cart, so it does not count) and a page view that fires `instant` in the same batch.
      const events = Array.from({ length: EVALUATED }, (_, i) => [
        envelope(
          `order-${r}-${i}`,
          userOf(r, i),
          'order_placed',
          new Date(i % 2 === 0 ? now.getTime() - 60_000 : triggeredAt.getTime() - 60_000),
        ),
        envelope(`view-${r}-${i}`, userOf(r, i), 'page_viewed', now),
      ]).flat();

      round = { locked: signal(), gate: signal() };
      const evaluated = evaluation.evaluate(events);
      await round.locked.promise;
      let fired = false;
      const firing = poller.fireDue().finally(() => (fired = true));
      // The poller either waits on a user lock evaluation holds (the old order) or is done without them.
      await eventually(async () => (fired || (await waitingOnAdvisoryLock(db)) ? true : undefined), {
        what: 'the poller to wait on a user lock or to finish',
        timeoutMs: 10_000,
        intervalMs: 20,
      });
      round.gate.resolve();
      await Promise.all([evaluated, firing]);
      round = null;
      // Timers of users evaluation held are fired by the next polls.
      await eventually(async () => ((await poller.fireDue()) === 0 && (await pendingOf(r)) === 0 ? true : undefined), {
        what: `round ${r}'s timers to be fired`,
        timeoutMs: 20_000,
        intervalMs: 20,
      });
    }

    const { rows } = await db.query(
      `SELECT trigger_event_id, array_agg(outcome ORDER BY outcome) AS outcomes FROM decisions
       WHERE campaign_id = 'waited' GROUP BY trigger_event_id`,
    );
    const outcomes = new Map(rows.map((row) => [row.trigger_event_id as string, row.outcomes as string[]]));
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < USERS_PER_ROUND; i++) {
        const cancelled = i < EVALUATED && i % 2 === 0;
        expect([cartEventOf(r, i), outcomes.get(cartEventOf(r, i))]).toEqual([
          cartEventOf(r, i),
          [cancelled ? 'cancelled_exception' : 'sent'],
        ]);
      }
    }
    const { rows: ledger } = await db.query(
      `SELECT campaign_id, count(*)::int AS sends, count(DISTINCT send_id)::int AS distinct_sends FROM send_ledger GROUP BY campaign_id ORDER BY campaign_id`,
    );
    const timersFired = ROUNDS * (USERS_PER_ROUND - EVALUATED / 2);
    expect(ledger).toEqual([
      { campaign_id: 'instant', sends: ROUNDS * EVALUATED, distinct_sends: ROUNDS * EVALUATED },
      { campaign_id: 'waited', sends: timersFired, distinct_sends: timersFired },
    ]);

    // A backend reports its deadlocks to pg_stat_database when idle or on exit: stopping the
    // app and waiting for its connections to end makes the count final.
    await stack.stopService('rules');
    await eventually(async () => ((await otherBackends(db)) === 0 ? true : undefined), { what: "the app's connections to end" });
    expect(await deadlocks(db)).toBe(deadlocksBefore);
  });

  async function schedule(round: number, triggeredAt: Date, dueAt: Date, version: number): Promise<void> {
    const sends = Array.from({ length: USERS_PER_ROUND }, (_, i) => {
      const trigger = envelope(cartEventOf(round, i), userOf(round, i), 'cart_abandoned', triggeredAt);
      return { sendId: deriveSendId({ campaignId: 'waited', triggerEventId: trigger.eventId, stepId: MAIN_STEP }), trigger };
    });
    await db.query(
      `INSERT INTO pending_sends (send_id, user_id, campaign_id, campaign_version, trigger_event_id, step_id, due_at, trigger_event)
       SELECT s, u, 'waited', $4, t, $5, $6, e FROM unnest($1::text[], $2::text[], $3::text[], $7::jsonb[]) AS x(s, u, t, e)`,
      [
        sends.map((s) => s.sendId),
        sends.map((s) => s.trigger.userId),
        sends.map((s) => s.trigger.eventId),
        version,
        MAIN_STEP,
        dueAt.toISOString(),
        sends.map((s) => JSON.stringify(s.trigger)),
      ],
    );
  }

  async function pendingOf(round: number): Promise<number> {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM pending_sends WHERE user_id LIKE $1`, [`lock-${round}-%`]);
    return rows[0].n;
  }
});
