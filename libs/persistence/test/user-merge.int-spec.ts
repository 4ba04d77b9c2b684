import { ConflictError, ValidationError, type Profile, type ProfileUpdate } from '@nudge/contracts';
import {
  createDataSource,
  inTransaction,
  lockUsers,
  mergeUserState,
  ProfileStore,
  UserMergeStore,
  type AliasOutcome,
} from '@nudge/persistence';
import { createTestDatabase, type TestDatabase } from '@nudge/testing';
import type { DataSource } from 'typeorm';

const at = '2026-03-01T10:00:00.000Z';
const change = { at, source: 'alias', proof: { ip: '203.0.113.9' } };

describe('UserMergeStore and the state merge, against Postgres', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let profiles: ProfileStore;
  let merges: UserMergeStore;

  beforeAll(async () => {
    database = await createTestDatabase('user_merge');
    dataSource = createDataSource({ url: database.url, applicationName: 'user-merge-test', poolSize: 4 });
    await dataSource.initialize();
    profiles = new ProfileStore(dataSource);
    merges = new UserMergeStore(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const put = (userId: string, update: ProfileUpdate, source = 'api') =>
    profiles.merge(userId, update, { at, source }, async () => undefined);
  const rows = async <T>(sql: string, parameters: unknown[] = []): Promise<T[]> => dataSource.query(sql, parameters);
  const alias = (previousId: string, userId: string, onCommit: (o: AliasOutcome) => Promise<void> = async () => undefined) =>
    merges.alias(previousId, userId, change, onCommit);

  it('merges the anonymous profile into the known one (known values win), carries its consent history, and records the alias', async () => {
    await put(
      'anon-a',
      {
        attributes: { firstName: 'Ana', plan: 'trial' },
        channels: { sms: { address: '+34600000001', consent: { marketing: true, transactional: true } } },
        preferences: { topics: { promotions: true } },
      },
      'segment',
    );
    await put('user-a', {
      attributes: { plan: 'gold' },
      channels: { email: { address: 'ana@example.com', consent: { marketing: false } } },
    });
    const published: AliasOutcome[] = [];

    const outcome = await alias('anon-a', 'user-a', async (o) => void published.push(o));

    expect(outcome.merged).toBe(true);
    expect(published).toHaveLength(1);
    const known = (await profiles.get('user-a')) as Profile;
    expect(known.attributes).toEqual({ plan: 'gold', firstName: 'Ana' });
    expect(known.channels.sms).toMatchObject({ address: '+34600000001', consent: { marketing: true, transactional: true } });
    expect(known.channels.email?.consent.marketing).toBe(false);
    expect(known.preferences.topics).toEqual({ promotions: true });
    expect(await profiles.get('anon-a')).toBeNull();
    expect(await rows('SELECT previous_id, user_id FROM user_aliases WHERE previous_id = $1', ['anon-a'])).toEqual([
      { previous_id: 'anon-a', user_id: 'user-a' },
    ]);
    // Newest first: the alias's own changes (with the alias request's proof), then the carried originals.
    const history = await rows<{ channel: string; category: string; source: string; ip: string | null }>(
      'SELECT channel, category, source, ip FROM consent_history WHERE user_id = $1 ORDER BY id DESC',
      ['user-a'],
    );
    expect(history.filter((h) => h.channel === 'sms').map((h) => h.source)).toEqual(['alias', 'alias', 'segment', 'segment']);
    expect(history.find((h) => h.source === 'alias')?.ip).toBe('203.0.113.9');
    expect(await rows('SELECT id FROM consent_history WHERE user_id = $1', ['anon-a'])).toEqual([]);
    expect(await rows('SELECT id FROM preference_history WHERE user_id = $1', ['anon-a'])).toEqual([]);
    expect(outcome.merged && outcome.consentEvents.map((e) => e.name).sort()).toEqual(['consent_granted', 'consent_granted']);
  });

  it('does nothing the second time the same alias is made', async () => {
    await put('anon-b', { attributes: { seen: true } });
    expect((await alias('anon-b', 'user-b')).merged).toBe(true);
    const before = await profiles.get('user-b');
    const published: AliasOutcome[] = [];

    expect(await alias('anon-b', 'user-b', async (o) => void published.push(o))).toEqual({ merged: false });

    expect(published).toEqual([{ merged: false }]);
    expect(await profiles.get('user-b')).toEqual(before);
  });

  it('writes nothing when the publish before the commit fails', async () => {
    await put('anon-c', { attributes: { seen: true } });
    await expect(alias('anon-c', 'user-c', () => Promise.reject(new Error('broker away')))).rejects.toThrow('broker away');
    expect(await profiles.get('anon-c')).not.toBeNull();
    expect(await profiles.get('user-c')).toBeNull();
    expect(await merges.knownUsersOf(['anon-c'])).toEqual(new Map());
  });

  it('refuses an id merged into itself, into an id that is itself merged, and an id merged elsewhere', async () => {
    await alias('anon-d', 'user-d');
    await expect(alias('user-d', 'user-d')).rejects.toThrow(ValidationError);
    await expect(alias('anon-x', 'anon-d')).rejects.toMatchObject({ details: [expect.objectContaining({ path: 'userId' })] });
    await expect(alias('anon-d', 'user-other')).rejects.toThrow(ConflictError);
  });

  it('points the aliases of an id merged further at the new known user', async () => {
    await alias('anon-e', 'user-e');
    await alias('user-e', 'user-e2');
    expect(await merges.knownUsersOf(['anon-e', 'user-e'])).toEqual(
      new Map([
        ['anon-e', 'user-e2'],
        ['user-e', 'user-e2'],
      ]),
    );
  });

  it("moves the previous id's timers, runs, touches and ledger to the known user; on a shared key the known user's row wins", async () => {
    const event = (userId: string, eventId: string) => ({
      eventId,
      userId,
      name: 'signed_up',
      timestamp: at,
      receivedAt: at,
      properties: {},
      context: {},
    });
    const pendingSend = (userId: string, sendId: string, campaignId: string) =>
      dataSource.query(
        `INSERT INTO pending_sends (send_id, user_id, campaign_id, campaign_version, trigger_event_id, step_id, due_at, trigger_event)
         VALUES ($1, $2, $3, 1, $4, 'main', now() + interval '1 hour', $5)`,
        [sendId, userId, campaignId, `${sendId}-trigger`, event(userId, `${sendId}-trigger`)],
      );
    const run = (userId: string, runId: string, campaignId: string) =>
      dataSource.query(
        `INSERT INTO journey_runs (run_id, campaign_id, campaign_version, user_id, trigger_event_id, trigger_event, step_id, phase, status,
           due_at, history, started_at, updated_at)
         VALUES ($1, $2, 1, $3, 'ev', $4, 'wait', 'waiting', 'active', now() + interval '1 hour', '{}'::jsonb, now(), now())`,
        [runId, campaignId, userId, event(userId, 'ev')],
      );
    const touch = (userId: string, campaignId: string, touchedAt: string) =>
      dataSource.query('INSERT INTO campaign_touches (user_id, campaign_id, touched_at) VALUES ($1, $2, $3)', [
        userId,
        campaignId,
        touchedAt,
      ]);
    await pendingSend('anon-f', 'send-1', 'cart');
    await pendingSend('anon-f', 'send-shared', 'cart');
    await pendingSend('user-f', 'send-shared', 'cart');
    await run('anon-f', 'run-1', 'onboarding');
    await run('anon-f', 'run-2', 'welcome');
    await run('user-f', 'run-3', 'welcome');
    await touch('anon-f', 'cart', '2026-03-01T09:00:00Z');
    await touch('user-f', 'cart', '2026-03-01T08:00:00Z');
    await touch('anon-f', 'welcome', '2026-02-01T08:00:00Z');
    await touch('user-f', 'welcome', '2026-02-02T08:00:00Z');
    await dataSource.query(
      `INSERT INTO send_ledger (send_id, user_id, campaign_id, channel, category, sent_at) VALUES ('sent-1', 'anon-f', 'cart', 'sms', 'marketing', now())`,
    );

    await inTransaction(dataSource, async (manager) => {
      await lockUsers(manager, ['anon-f', 'user-f']);
      await mergeUserState(manager, { previousId: 'anon-f', userId: 'user-f', at });
    });

    for (const table of ['pending_sends', 'journey_runs', 'campaign_touches', 'send_ledger']) {
      expect({ table, left: await rows(`SELECT 1 FROM ${table} WHERE user_id = 'anon-f'`) }).toEqual({ table, left: [] });
    }
    const sends = await rows<{ send_id: string; trigger_user: string }>(
      `SELECT send_id, trigger_event->>'userId' AS trigger_user FROM pending_sends WHERE user_id = 'user-f' ORDER BY send_id`,
    );
    expect(sends).toEqual([
      { send_id: 'send-1', trigger_user: 'user-f' },
      { send_id: 'send-shared', trigger_user: 'user-f' },
    ]);
    const runs = await rows<{ run_id: string; status: string }>(
      `SELECT run_id, status FROM journey_runs WHERE user_id = 'user-f' ORDER BY run_id`,
    );
    // The known user's run of "welcome" wins: the anonymous one is exited, not run twice.
    expect(runs).toEqual([
      { run_id: 'run-1', status: 'active' },
      { run_id: 'run-2', status: 'exited' },
      { run_id: 'run-3', status: 'active' },
    ]);
    const touches = await rows<{ campaign_id: string; touched_at: Date }>(
      `SELECT campaign_id, touched_at FROM campaign_touches WHERE user_id = 'user-f' ORDER BY campaign_id`,
    );
    expect(touches.map((t) => [t.campaign_id, t.touched_at.toISOString()])).toEqual([
      ['cart', '2026-03-01T09:00:00.000Z'],
      ['welcome', '2026-02-02T08:00:00.000Z'],
    ]);
    expect(await rows(`SELECT send_id FROM send_ledger WHERE user_id = 'user-f'`)).toEqual([{ send_id: 'sent-1' }]);
  });

  it('erases the ids merged into a user with it, and their aliases', async () => {
    await put('anon-g', { attributes: { seen: true } });
    await alias('anon-g', 'user-g');
    await dataSource.query(
      `INSERT INTO decisions (user_id, campaign_id, campaign_version, trigger_event_id, step_id, outcome, reason, at)
       VALUES ('anon-g', 'cart', 1, 'e1', 'main', 'sent', 'cart of 120', now())`,
    );

    await profiles.erase('user-g', new Date(at), async () => undefined);

    expect(await rows(`SELECT 1 FROM user_aliases WHERE previous_id = 'anon-g' OR user_id = 'user-g'`)).toEqual([]);
    expect(await rows(`SELECT 1 FROM decisions WHERE user_id IN ('anon-g', 'user-g')`)).toEqual([]);
    expect(await rows(`SELECT 1 FROM profiles WHERE user_id IN ('anon-g', 'user-g')`)).toEqual([]);
    expect(await rows<{ n: number }>('SELECT count(*)::int AS n FROM erased_users')).toEqual([{ n: 2 }]);
  });
});
