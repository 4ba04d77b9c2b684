import { createRulesApp } from '@nudge/rules';
import { DATA_SOURCE } from '@nudge/service-runtime';
import { eventually, readTopic, TestStack } from '@nudge/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { BroadcastCampaigns } from '../src/broadcasts/broadcast-campaigns.service';
import { BroadcastsStore } from '../src/broadcasts/broadcasts.store';
import { CampaignCatalog } from '../src/campaigns/campaign-catalog.service';
import { EffectsWriter } from '../src/effects/effects-writer';

const BATCH = 1000;
const userId = (n: number, prefix = 'user') => `${prefix}-${String(n).padStart(5, '0')}`;

/** Profiles written straight to the table rules reads, many in one statement. */
async function insertProfiles(db: Client, prefix: string, count: number, profileOf: (n: number) => Record<string, unknown>): Promise<void> {
  const documents = Array.from({ length: count }, (_, i) => ({
    userId: userId(i + 1, prefix),
    attributes: {},
    channels: { sms: { address: `+3460${String(i + 1).padStart(7, '0')}`, consent: { marketing: true } } },
    preferences: { topics: {} },
    version: 1,
    updatedAt: new Date().toISOString(),
    ...profileOf(i + 1),
  }));
  await db.query(
    `INSERT INTO profiles (user_id, document, version, updated_at)
     SELECT d->>'userId', d, 1, now() FROM unnest($1::jsonb[]) AS d`,
    [documents.map((d) => JSON.stringify(d))],
  );
}

// A broadcast streams its audience page by page: more profiles than one batch, each decided
// once, and a batch that fails after publishing is redone from the cursor the last good one left.
describe('broadcast runner', () => {
  let stack: TestStack;
  let db: Client;

  beforeAll(async () => {
    stack = await TestStack.start({
      factories: { rules: createRulesApp },
      label: 'broadcast-runner',
      env: { BROADCAST_BATCH_SIZE: String(BATCH) },
    });
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const rules = () => stack.client('rules');

  async function completed(id: string) {
    return eventually(
      async () => {
        const { body } = await rules().get(`/v1/broadcasts/${id}`);
        return body.status === 'completed' ? body : undefined;
      },
      { what: `broadcast ${id} to complete`, timeoutMs: 60_000 },
    );
  }

  it('streams 2,500 subscribers in batches of 1,000, deciding each once, and redoes a batch that crashed', async () => {
    // Every sixth profile never chose about the topic: not in the audience, never read by a batch.
    // (One who switched it off is, to be decided no_consent with the reason: e2e/broadcasts.)
    await insertProfiles(db, 'user', 3_000, (n) => ({ preferences: { topics: n % 6 !== 0 ? { news: true } : {} } }));
    const subscribers = Array.from({ length: 3_000 }, (_, i) => i + 1).filter((n) => n % 6 !== 0);
    expect(subscribers.length).toBe(2_500);

    const writer = stack.app('rules').get(EffectsWriter);
    const write = writer.write.bind(writer);
    let calls = 0;
    let cursorAtCrash: string | null = null;
    const crash = jest.spyOn(writer, 'write').mockImplementation(async (manager, effects) => {
      await write(manager, effects);
      if (!effects.decisions.some((d) => d.campaignId === 'bc-big')) return;
      calls += 1;
      if (calls === 2) {
        // The second batch has published its send requests and written its rows; it dies before committing.
        cursorAtCrash = (await db.query(`SELECT cursor FROM broadcasts WHERE id = 'bc-big'`)).rows[0].cursor;
        throw new Error('simulated crash after publishing');
      }
    });

    const created = await rules().post('/v1/broadcasts', {
      id: 'bc-big',
      name: 'Big news',
      audience: { topic: 'news' },
      message: { channel: 'sms', body: 'News for {{ profile.userId }}' },
    });
    expect(created.status).toBe(202);
    const done = await completed('bc-big');
    crash.mockRestore();

    expect(cursorAtCrash).toBe(userId(subscribers[BATCH - 1] as number));
    expect(done).toMatchObject({ processed: 2_500, audienceSize: 2_500, counts: { sent: 2_500, no_consent: 0 } });
    const { rows: perUser } = await db.query(
      `SELECT count(DISTINCT user_id)::int AS users, count(*)::int AS decisions FROM decisions WHERE campaign_id = 'bc-big'`,
    );
    expect(perUser[0]).toEqual({ users: 2_500, decisions: 2_500 });
    const { rows: unsubscribed } = await db.query(
      `SELECT count(*)::int AS n FROM decisions WHERE campaign_id = 'bc-big' AND right(user_id, 5)::int % 6 = 0`,
    );
    expect(unsubscribed[0].n).toBe(0);
    const { rows: ledger } = await db.query(`SELECT count(*)::int AS n FROM send_ledger WHERE campaign_id = 'bc-big'`);
    expect(ledger[0].n).toBe(2_500);

    // The crashed batch was published twice with the same send ids; dispatch keeps one of each.
    const records = await readTopic(stack.brokers, stack.topics.dispatch, {
      until: (read) => read.length >= 2_500 + BATCH,
      timeoutMs: 30_000,
    });
    const sendIds = records.map((r) => r.value.sendId as string);
    expect(new Set(sendIds).size).toBe(2_500);
    expect(records).toHaveLength(2_500 + BATCH);
    const republished = new Set(records.map((r) => r.value.userId as string).filter((u, i, all) => all.indexOf(u) !== i));
    expect([...republished].sort()).toEqual(subscribers.slice(BATCH, 2 * BATCH).map((n) => userId(n)));
  });

  it('resolves a broadcast another instance created, from the table, in one query', async () => {
    const fresh = new BroadcastCampaigns(stack.app('rules').get(BroadcastsStore), stack.app('rules').get(CampaignCatalog));
    const dataSource = stack.app('rules').get<DataSource>(DATA_SOURCE);
    const found = await fresh.resolve(dataSource.manager, ['bc-big', 'no-such-campaign', 'bc-big']);
    expect([...found.keys()]).toEqual(['bc-big']);
    expect(found.get('bc-big')).toMatchObject({ id: 'bc-big', version: 1, channels: ['sms'] });
  });

  it('keeps to the rate limit of the channel’s provider', async () => {
    await insertProfiles(db, 'paced', 45, () => ({ preferences: { topics: { paced: true } } }));
    const twilio = {
      provider: 'twilio',
      accountSidEnv: 'NUDGE_SECRET_TWILIO_SID',
      authTokenEnv: 'NUDGE_SECRET_TWILIO_TOKEN',
      rateLimit: '20/s',
    };
    const settings = await rules().put('/v1/settings', { providers: { sms: twilio } });
    expect(settings.status).toBe(200);
    await rules().post('/v1/broadcasts', {
      id: 'bc-paced',
      name: 'Paced',
      audience: { topic: 'paced' },
      message: { channel: 'sms', body: 'Hi' },
    });
    const done = await completed('bc-paced');
    expect(done.counts.sent).toBe(45);
    const { rows } = await db.query(`SELECT at, count(*)::int AS n FROM decisions WHERE campaign_id = 'bc-paced' GROUP BY at ORDER BY at`);
    // Batches of one second's worth (20), each followed by the second its sends take.
    expect(rows.map((r) => r.n)).toEqual([20, 20, 5]);
    const gaps = rows.slice(1).map((r, i) => r.at.getTime() - rows[i].at.getTime());
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1_000);
  });
});
