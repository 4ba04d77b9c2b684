import type { TestStack } from '@nudge/testing';
import { Client } from 'pg';
import { startIngest } from './support/ingest-stack';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0';

describe('ingest: the preference history', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startIngest('ingest-preferences');
  });

  afterAll(() => stack?.stop());

  async function historyRows(userId: string): Promise<number> {
    const db = new Client({ connectionString: stack.database.url });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT count(*)::int AS n FROM preference_history WHERE user_id = $1', [userId]);
      return rows[0].n as number;
    } finally {
      await db.end();
    }
  }

  it('appends every topic and weekly-maximum change with its proof, newest first and paged; a repeated PUT appends nothing', async () => {
    const ingest = stack.client('ingest');
    const headers = { 'X-Forwarded-For': '203.0.113.9', 'User-Agent': BROWSER };
    const subscribe = { preferences: { topics: { news: true }, maxPerWeek: 3 } };
    expect((await ingest.put('/v1/users/pref-ana', subscribe, headers)).status).toBe(200);
    expect((await ingest.put('/v1/users/pref-ana', subscribe, headers)).status).toBe(200);
    const change = { preferences: { topics: { news: false }, maxPerWeek: null }, consentProof: { textVersion: 'prefs-v2' } };
    expect((await ingest.put('/v1/users/pref-ana', change, { ...headers, 'X-Nudge-Source': 'preference_page' })).status).toBe(200);

    const proof = { ip: '203.0.113.9', userAgent: BROWSER };
    const { status, body } = await ingest.get('/v1/users/pref-ana/preferences/history');
    expect(status).toBe(200);
    expect(body).toEqual({
      userId: 'pref-ana',
      nextCursor: null,
      changes: [
        {
          id: expect.any(String),
          preference: 'maxPerWeek',
          maxPerWeek: null,
          at: expect.any(String),
          source: 'preference_page',
          ...proof,
          textVersion: 'prefs-v2',
        },
        {
          id: expect.any(String),
          preference: 'topic',
          topic: 'news',
          subscribed: false,
          at: expect.any(String),
          source: 'preference_page',
          ...proof,
          textVersion: 'prefs-v2',
        },
        {
          id: expect.any(String),
          preference: 'maxPerWeek',
          maxPerWeek: 3,
          at: expect.any(String),
          source: 'api',
          ...proof,
          textVersion: null,
        },
        {
          id: expect.any(String),
          preference: 'topic',
          topic: 'news',
          subscribed: true,
          at: expect.any(String),
          source: 'api',
          ...proof,
          textVersion: null,
        },
      ],
    });

    const first = await ingest.get('/v1/users/pref-ana/preferences/history?limit=3');
    expect(first.body.changes).toHaveLength(3);
    const rest = await ingest.get(`/v1/users/pref-ana/preferences/history?limit=3&cursor=${first.body.nextCursor}`);
    expect(rest.body).toMatchObject({ nextCursor: null, changes: [{ preference: 'topic', subscribed: true }] });
  });

  it('answers 404 for an unknown user and 400 naming a bad limit', async () => {
    const ingest = stack.client('ingest');
    expect((await ingest.get('/v1/users/nobody/preferences/history')).status).toBe(404);
    const bad = await ingest.get('/v1/users/pref-ana/preferences/history?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('query.limit');
  });

  it('erasure deletes the history with the user', async () => {
    const ingest = stack.client('ingest');
    expect((await ingest.put('/v1/users/pref-gone', { preferences: { topics: { news: true } } })).status).toBe(200);
    expect(await historyRows('pref-gone')).toBe(1);
    expect((await ingest.delete('/v1/users/pref-gone')).status).toBe(204);
    expect(await historyRows('pref-gone')).toBe(0);
  });
});
