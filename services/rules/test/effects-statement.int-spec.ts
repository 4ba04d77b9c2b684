import type { EventEnvelope } from '@nudge/contracts';
import { effects, type Effects, type PendingSend } from '@nudge/engine';
import { createTestDatabase, type TestDatabase } from '@nudge/testing';
import { Client } from 'pg';
import { effectsStatement } from '../src/effects/effects-statement';

const at = new Date('2026-12-03T10:00:00.000Z');
const later = new Date('2026-12-03T11:00:00.000Z');

function trigger(userId: string, eventId: string): EventEnvelope {
  return {
    eventId,
    userId,
    name: 'cart_abandoned',
    timestamp: at.toISOString(),
    receivedAt: at.toISOString(),
    properties: { total: 42, items: ['a', 'b'] },
    context: {},
  };
}

function pending(userId: string, sendId: string, dueAt: Date, extra: Partial<PendingSend> = {}): PendingSend {
  return {
    sendId,
    userId,
    campaignId: 'c1',
    campaignVersion: 3,
    triggerEventId: `e-${sendId}`,
    stepId: 'main',
    dueAt,
    triggerEvent: trigger(userId, `e-${sendId}`),
    ...extra,
  };
}

function everyKind(userId: string, at: Date, tag: string): Effects {
  return effects({
    conversions: [{ sendId: `attr-${userId}`, campaignId: 'c1', eventId: `order-${tag}`, at }],
    schedule: [
      pending(userId, `s-${userId}`, later),
      // A fallback step waiting for dispatch's word: stored with no due time.
      pending(userId, `fb-${userId}`, new Date(0), { fallback: { of: `s-${userId}`, from: 'sms', channels: ['email'], after: 'PT1H' } }),
    ],
    runs: [
      {
        runId: `run-${userId}`,
        campaignId: 'j1',
        campaignVersion: 1,
        userId,
        triggerEvent: trigger(userId, 'e-run'),
        stepId: `step-${tag}`,
        phase: 'waiting',
        dueAt: later,
        waitingFor: null,
        status: 'active',
        history: { [`step-${tag}`]: { outcome: 'sent' } } as never,
        startedAt: at,
        updatedAt: at,
      },
    ],
    ledger: [{ sendId: `s-${userId}`, userId, campaignId: 'c1', channel: 'sms', category: 'marketing', sentAt: at }],
    touches: [
      { userId, campaignId: 'c1', at: new Date(at.getTime() - 1000) },
      { userId, campaignId: 'c1', at },
    ],
    attributions: [{ sendId: `attr-${userId}`, userId, campaignId: 'c1', group: 'treated', at, triggerProperties: { tag } }],
    optIns: [{ userId, channel: 'sms', address: `+1555000${tag}`, requestedAt: at.toISOString(), requestEventId: `req-${tag}` }],
    decisions: [
      {
        userId,
        campaignId: 'c1',
        campaignVersion: 3,
        triggerEventId: `e-${tag}`,
        stepId: 'main',
        outcome: 'scheduled',
        reason: `because ${tag}`,
        at,
        scheduledFor: later,
      },
    ],
  });
}

describe('the EffectsWriter statement', () => {
  let database: TestDatabase;
  let db: Client;

  const write = async (e: Effects) => {
    const statement = effectsStatement(e);
    if (statement) await db.query(statement.sql, statement.params);
  };
  const rows = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

  beforeAll(async () => {
    database = await createTestDatabase('effects-statement');
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  it('is no statement when there is nothing to write', () => {
    expect(effectsStatement(effects({}))).toBeNull();
  });

  it('writes every kind of row in one statement', async () => {
    // The attribution a conversion counts for exists before (conversions reference attributions).
    await write(effects({ attributions: everyKind('ana', at, 'pre').attributions }));
    const statement = effectsStatement(everyKind('ana', at, '1'));
    expect(statement?.sql.match(/;/g) ?? []).toEqual([]);
    await write(everyKind('ana', at, '1'));

    expect(await rows('SELECT send_id, campaign_id, event_id, converted_at FROM conversions')).toEqual([
      { send_id: 'attr-ana', campaign_id: 'c1', event_id: 'order-1', converted_at: at },
    ]);
    expect(
      await rows(
        `SELECT send_id, user_id, campaign_id, campaign_version, trigger_event_id, step_id, due_at, trigger_event, fallback
         FROM pending_sends WHERE user_id = 'ana' ORDER BY send_id`,
      ),
    ).toEqual([
      {
        send_id: 'fb-ana',
        user_id: 'ana',
        campaign_id: 'c1',
        campaign_version: 3,
        trigger_event_id: 'e-fb-ana',
        step_id: 'main',
        due_at: null,
        trigger_event: trigger('ana', 'e-fb-ana'),
        fallback: { of: 's-ana', from: 'sms', channels: ['email'], after: 'PT1H' },
      },
      {
        send_id: 's-ana',
        user_id: 'ana',
        campaign_id: 'c1',
        campaign_version: 3,
        trigger_event_id: 'e-s-ana',
        step_id: 'main',
        due_at: later,
        trigger_event: trigger('ana', 'e-s-ana'),
        fallback: null,
      },
    ]);
    expect(
      await rows(`SELECT run_id, trigger_event_id, trigger_event, step_id, phase, status, due_at, waiting_for, history FROM journey_runs`),
    ).toEqual([
      {
        run_id: 'run-ana',
        trigger_event_id: 'e-run',
        trigger_event: trigger('ana', 'e-run'),
        step_id: 'step-1',
        phase: 'waiting',
        status: 'active',
        due_at: later,
        waiting_for: null,
        history: { 'step-1': { outcome: 'sent' } },
      },
    ]);
    expect(await rows('SELECT send_id, user_id, campaign_id, channel, category, sent_at FROM send_ledger')).toEqual([
      { send_id: 's-ana', user_id: 'ana', campaign_id: 'c1', channel: 'sms', category: 'marketing', sent_at: at },
    ]);
    // Two touches of one (user, campaign) in a batch: one row, the latest.
    expect(await rows('SELECT user_id, campaign_id, touched_at FROM campaign_touches')).toEqual([
      { user_id: 'ana', campaign_id: 'c1', touched_at: at },
    ]);
    expect(await rows('SELECT send_id, grp, trigger_properties FROM attributions')).toEqual([
      { send_id: 'attr-ana', grp: 'treated', trigger_properties: { tag: 'pre' } },
    ]);
    expect(await rows('SELECT user_id, channel, address, requested_at, request_event_id FROM pending_opt_ins')).toEqual([
      { user_id: 'ana', channel: 'sms', address: '+15550001', requested_at: at, request_event_id: 'req-1' },
    ]);
    expect(
      await rows(
        'SELECT user_id, campaign_id, campaign_version, trigger_event_id, step_id, outcome, reason, at, scheduled_for FROM decisions',
      ),
    ).toEqual([
      {
        user_id: 'ana',
        campaign_id: 'c1',
        campaign_version: 3,
        trigger_event_id: 'e-1',
        step_id: 'main',
        outcome: 'scheduled',
        reason: 'because 1',
        at,
        scheduled_for: later,
      },
    ]);
  });

  it('keeps each table’s ON CONFLICT behaviour when the same rows come again', async () => {
    // Written again an hour later with other values: what a replayed or later batch would carry.
    await write(everyKind('ana', later, '2'));

    // Conversions, pending sends, the ledger and attributions keep the first row.
    expect(await rows('SELECT event_id FROM conversions')).toEqual([{ event_id: 'order-1' }]);
    expect(await rows(`SELECT send_id, due_at FROM pending_sends WHERE user_id = 'ana' ORDER BY send_id`)).toEqual([
      { send_id: 'fb-ana', due_at: null },
      { send_id: 's-ana', due_at: later },
    ]);
    expect(await rows('SELECT sent_at FROM send_ledger')).toEqual([{ sent_at: at }]);
    expect(await rows('SELECT trigger_properties FROM attributions')).toEqual([{ trigger_properties: { tag: 'pre' } }]);
    // A run moves on; a touch only moves forward; an opt-in request replaces the last one.
    expect(await rows('SELECT step_id, started_at, updated_at FROM journey_runs')).toEqual([
      { step_id: 'step-2', started_at: at, updated_at: later },
    ]);
    expect(await rows('SELECT touched_at FROM campaign_touches')).toEqual([{ touched_at: later }]);
    await write(effects({ touches: [{ userId: 'ana', campaignId: 'c1', at }] }));
    expect(await rows('SELECT touched_at FROM campaign_touches')).toEqual([{ touched_at: later }]);
    expect(await rows('SELECT address, request_event_id FROM pending_opt_ins')).toEqual([
      { address: '+15550002', request_event_id: 'req-2' },
    ]);
    // The decision log only appends.
    expect(await rows('SELECT reason FROM decisions ORDER BY at')).toEqual([{ reason: 'because 1' }, { reason: 'because 2' }]);
  });

  it('cancels before it schedules: a send id cancelled and scheduled in one batch is pending after it', async () => {
    await write(effects({ schedule: [pending('bo', 'again', at), pending('bo', 'gone', at)] }));
    await write(effects({ cancel: ['again', 'gone'], schedule: [pending('bo', 'again', later)] }));
    expect(await rows(`SELECT send_id, due_at FROM pending_sends WHERE user_id = 'bo'`)).toEqual([{ send_id: 'again', due_at: later }]);
  });

  it('is all or nothing: a conversion of an unknown send writes no row of any table', async () => {
    const before = await rows('SELECT count(*)::int AS n FROM decisions');
    await expect(
      write({ ...everyKind('cy', at, '3'), conversions: [{ sendId: 'no-such-send', campaignId: 'c1', eventId: 'x', at }] }),
    ).rejects.toThrow(/foreign key/);
    expect(await rows('SELECT count(*)::int AS n FROM decisions')).toEqual(before);
    expect(await rows(`SELECT count(*)::int AS n FROM pending_sends WHERE user_id = 'cy'`)).toEqual([{ n: 0 }]);
  });
});
