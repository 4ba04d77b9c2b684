import { createRulesApp } from '@nudge/rules';
import { TestStack } from '@nudge/testing';
import { Client } from 'pg';

const HOUR = 3_600_000;

// A campaign's counts over a window (the campaign list's "last 24 h") and its funnel per day
// and channel, from the decision log, the messages and the conversions as rules and dispatch write them.
describe('GET /v1/campaigns/{id}/stats?since= and GET /v1/campaigns/{id}/funnel', () => {
  let stack: TestStack;
  let db: Client;
  const rules = () => stack.client('rules');
  const now = Date.now();
  const ago = (hours: number) => new Date(now - hours * HOUR);

  async function decision(outcome: string, at: Date, userId = 'u1'): Promise<void> {
    await db.query(
      `INSERT INTO decisions (user_id, campaign_id, campaign_version, trigger_event_id, step_id, outcome, reason, at)
       VALUES ($1, 'promo', 1, $2, 'main', $3, 'test', $4)`,
      [userId, `e-${outcome}-${at.getTime()}`, outcome, at],
    );
  }

  async function message(sendId: string, channel: string, createdAt: Date, statuses: string[], converted = false): Promise<void> {
    const history = statuses.map((status) => ({ status, at: createdAt.toISOString() }));
    await db.query(
      `INSERT INTO messages (id, send_id, campaign_id, campaign_version, step_id, user_id, trigger_event_id, channel, provider,
         recipient, status, status_history, request, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, 'promo', 1, 'main', 'u1', $1, $2, 'sandbox', 'x', $3, $4, '{}', $5, $5)`,
      [sendId, channel, statuses.at(-1), JSON.stringify(history), createdAt],
    );
    await db.query(
      `INSERT INTO attributions (send_id, user_id, campaign_id, grp, at, trigger_properties) VALUES ($1, 'u1', 'promo', 'treated', $2, '{}')`,
      [sendId, createdAt],
    );
    if (converted) {
      await db.query(`INSERT INTO conversions (send_id, campaign_id, event_id, converted_at) VALUES ($1, 'promo', $2, $3)`, [
        sendId,
        `conv-${sendId}`,
        createdAt,
      ]);
    }
  }

  beforeAll(async () => {
    stack = await TestStack.start({ factories: { rules: createRulesApp }, label: 'stats-window' });
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    await decision('sent', ago(1));
    await decision('capped', ago(2));
    await decision('no_consent', ago(3));
    await decision('sent', ago(30));
    await decision('no_consent', ago(50));
    await message('s1', 'sms', ago(1), ['queued', 'sent', 'delivered'], true);
    await message('s2', 'whatsapp', ago(2), ['queued', 'sent', 'delivered', 'read', 'clicked']);
    await message('s3', 'sms', ago(30), ['queued', 'sent', 'delivered', 'read']);
    await message('s4', 'sms', ago(24 * 40), ['queued', 'sent']);
  });

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('counts the last 24 h when asked (since=P1D), and all time without a window', async () => {
    const { status, body } = await rules().get('/v1/campaigns/promo/stats?since=P1D');
    expect(status).toBe(200);
    expect(body.outcomes).toMatchObject({ sent: 1, capped: 1, no_consent: 1, scheduled: 0 });
    expect(body.funnel).toMatchObject({
      sent: { count: 2 },
      delivered: { count: 2 },
      read: { count: 1 },
      clicked: { count: 1 },
      converted: { count: 1 },
    });
    expect(body.holdout.treated).toMatchObject({ sends: 2, conversions: 1 });
    expect(Date.parse(body.window.until) - Date.parse(body.window.since)).toBe(24 * HOUR);

    const all = (await rules().get('/v1/campaigns/promo/stats')).body;
    expect(all.window).toBeNull();
    expect(all.outcomes).toMatchObject({ sent: 2, capped: 1, no_consent: 2 });
    expect(all.funnel.sent.count).toBe(4);
  });

  it('takes date-times too, until excluded', async () => {
    const since = ago(31).toISOString();
    const until = ago(2).toISOString();
    const { body } = await rules().get(`/v1/campaigns/promo/stats?since=${since}&until=${until}`);
    expect(body.outcomes).toMatchObject({ sent: 1, capped: 0, no_consent: 1 });
    expect(body.window).toEqual({ since, until });
  });

  it('gives the funnel per day and channel over the last 30 days by default', async () => {
    const { status, body } = await rules().get('/v1/campaigns/promo/funnel');
    expect(status).toBe(200);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const expected = [
      { day: day(ago(1)), channel: 'sms', sent: 1, delivered: 1, read: 0, clicked: 0, converted: 1 },
      { day: day(ago(2)), channel: 'whatsapp', sent: 1, delivered: 1, read: 1, clicked: 1, converted: 0 },
      { day: day(ago(30)), channel: 'sms', sent: 1, delivered: 1, read: 1, clicked: 0, converted: 0 },
    ];
    // Rows of the same day and channel add up (near midnight UTC two of the messages may share a day).
    const sum = new Map<string, Record<string, number | string>>();
    for (const row of expected) {
      const key = `${row.day} ${row.channel}`;
      const seen = sum.get(key);
      sum.set(
        key,
        seen
          ? {
              ...row,
              ...Object.fromEntries(
                ['sent', 'delivered', 'read', 'clicked', 'converted'].map((k) => [k, Number(seen[k]) + Number(row[k as keyof typeof row])]),
              ),
            }
          : row,
      );
    }
    expect(body.items).toEqual([...sum.values()].sort((a, b) => `${a.day} ${a.channel}`.localeCompare(`${b.day} ${b.channel}`)));
    expect(body.campaignId).toBe('promo');
    const older = (await rules().get('/v1/campaigns/promo/funnel?since=P60D')).body.items;
    expect(older.reduce((n: number, i: { sent: number }) => n + i.sent, 0)).toBe(4);
  });

  it.each([
    ['/v1/campaigns/promo/stats?since=yesterday', 'query.since'],
    ['/v1/campaigns/promo/stats?since=P1M', 'query.since'],
    ['/v1/campaigns/promo/stats?since=PT1H&until=P1D', 'query.since'],
    ['/v1/campaigns/promo/stats?from=P1D', 'query.from'],
    ['/v1/campaigns/promo/funnel?since=P400D', 'query.since'],
    ['/v1/campaigns/promo/funnel?until=soon', 'query.until'],
  ])('%s is a 400 naming %s', async (path, field) => {
    const { status, body } = await rules().get(path);
    expect([status, body.error.details.map((d: { path: string }) => d.path)]).toEqual([400, [field]]);
  });
});
