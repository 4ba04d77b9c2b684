import type { TestStack } from '@nudge/testing';
import { Client } from 'pg';
import { eventsBeforeMarker, postMarker, startIngest } from './support/ingest-stack';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0';

describe('ingest: consent with proof, and consent changes as events', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startIngest('ingest-consent');
  });

  afterAll(() => stack?.stop());

  async function historyRows(userId: string): Promise<number> {
    const db = new Client({ connectionString: stack.database.url });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT count(*)::int AS n FROM consent_history WHERE user_id = $1', [userId]);
      return rows[0].n as number;
    } finally {
      await db.end();
    }
  }

  it('appends every consent change with its proof; GET returns them newest first; a repeated PUT appends nothing', async () => {
    const ingest = stack.client('ingest');
    const headers = { 'X-Forwarded-For': '203.0.113.7, 10.0.0.1', 'User-Agent': BROWSER };
    const optIn = {
      channels: { sms: { address: '+34600000101', consent: { marketing: true, transactional: true } } },
      consentProof: { textVersion: 'offers-2026-11' },
    };
    expect((await ingest.put('/v1/users/proof-ana', optIn, headers)).status).toBe(200);
    expect((await ingest.put('/v1/users/proof-ana', optIn, headers)).status).toBe(200);
    const withdrawal = { channels: { sms: { consent: { marketing: false } } }, consentProof: { ip: '2001:db8::5' } };
    expect((await ingest.put('/v1/users/proof-ana', withdrawal, { ...headers, 'X-Nudge-Source': 'preference_page' })).status).toBe(200);

    const { status, body } = await ingest.get('/v1/users/proof-ana/consent');
    expect(status).toBe(200);
    expect(body).toEqual({
      userId: 'proof-ana',
      nextCursor: null,
      changes: [
        expect.objectContaining({
          channel: 'sms',
          category: 'marketing',
          value: false,
          source: 'preference_page',
          ip: '2001:db8::5',
          userAgent: BROWSER,
          textVersion: null,
        }),
        expect.objectContaining({
          channel: 'sms',
          category: 'transactional',
          value: true,
          source: 'api',
          ip: '203.0.113.7',
          userAgent: BROWSER,
          textVersion: 'offers-2026-11',
        }),
        expect.objectContaining({
          channel: 'sms',
          category: 'marketing',
          value: true,
          source: 'api',
          ip: '203.0.113.7',
          userAgent: BROWSER,
          textVersion: 'offers-2026-11',
        }),
      ],
    });
    const profile = (await ingest.get('/v1/users/proof-ana')).body;
    expect(profile.channels.sms.consentLog.marketing).toMatchObject({ value: false, source: 'preference_page' });
    expect(body.changes[0].at).toBe(profile.channels.sms.consentLog.marketing.at);
  });

  it('pages the history with limit and nextCursor', async () => {
    const ingest = stack.client('ingest');
    for (const marketing of [true, false, true]) {
      expect((await ingest.put('/v1/users/proof-pages', { channels: { email: { consent: { marketing } } } })).status).toBe(200);
    }
    const first = await ingest.get('/v1/users/proof-pages/consent?limit=2');
    expect(first.body.changes.map((c: { value: boolean }) => c.value)).toEqual([true, false]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await ingest.get(`/v1/users/proof-pages/consent?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ changes: [expect.objectContaining({ value: true })], nextCursor: null });
    expect((await ingest.get('/v1/users/proof-pages/consent?limit=0')).status).toBe(400);
    expect((await ingest.get('/v1/users/nobody-here/consent')).status).toBe(404);
  });

  it('publishes consent_granted and consent_withdrawn on the events topic, once per change, keyed by user', async () => {
    const ingest = stack.client('ingest');
    const grant = { channels: { whatsapp: { address: '+34600000102', consent: { marketing: true } } } };
    expect((await ingest.put('/v1/users/proof-events', grant)).status).toBe(200);
    expect((await ingest.put('/v1/users/proof-events', grant)).status).toBe(200);
    const withdraw = { channels: { whatsapp: { consent: { marketing: false } } } };
    expect((await ingest.put('/v1/users/proof-events', withdraw, { 'X-Nudge-Source': 'keyword' })).status).toBe(200);

    const records = await eventsBeforeMarker(stack, 'proof-events', await postMarker(ingest, 'proof-events'));
    expect(records.map((r) => r.key)).toEqual(['proof-events', 'proof-events']);
    expect(records.map((r) => r.headers['nudge-event-name'])).toEqual(['consent_granted', 'consent_withdrawn']);
    expect(records.map((r) => r.value)).toEqual([
      expect.objectContaining({
        name: 'consent_granted',
        userId: 'proof-events',
        properties: { channel: 'whatsapp', category: 'marketing', value: true, source: 'api' },
      }),
      expect.objectContaining({ name: 'consent_withdrawn', properties: expect.objectContaining({ value: false, source: 'keyword' }) }),
    ]);
    const { body } = await ingest.get('/v1/users/proof-events/consent');
    expect(body.changes.map((c: { eventId: string }) => c.eventId)).toEqual(records.map((r) => r.value.eventId).reverse());
  });

  it('publishes consent_confirmed for a change from double opt-in', async () => {
    const ingest = stack.client('ingest');
    const put = await ingest.put(
      '/v1/users/proof-doi',
      { channels: { sms: { consent: { marketing: true } } } },
      { 'X-Nudge-Source': 'double_opt_in' },
    );
    expect(put.status).toBe(200);
    const records = await eventsBeforeMarker(stack, 'proof-doi', await postMarker(ingest, 'proof-doi'));
    expect(records.map((r) => r.value.name)).toEqual(['consent_confirmed']);
  });

  it('erases the consent history with the user, and a user created again gets new event ids', async () => {
    const ingest = stack.client('ingest');
    const grant = { channels: { sms: { consent: { marketing: true } } } };
    expect((await ingest.put('/v1/users/proof-erased', grant)).status).toBe(200);
    const before = (await ingest.get('/v1/users/proof-erased/consent')).body.changes[0].eventId;
    expect(await historyRows('proof-erased')).toBe(1);

    expect((await ingest.delete('/v1/users/proof-erased')).status).toBe(204);
    expect(await historyRows('proof-erased')).toBe(0);
    expect((await ingest.get('/v1/users/proof-erased/consent')).status).toBe(404);

    expect((await ingest.put('/v1/users/proof-erased', grant)).status).toBe(200);
    const again = (await ingest.get('/v1/users/proof-erased/consent')).body.changes;
    expect(again).toHaveLength(1);
    expect(again[0].eventId).not.toBe(before);
  });

  it('refuses a bad consentProof with 400, changing nothing', async () => {
    const ingest = stack.client('ingest');
    const put = await ingest.put('/v1/users/proof-bad', {
      channels: { sms: { consent: { marketing: true } } },
      consentProof: { ip: 'nowhere' },
    });
    expect(put.status).toBe(400);
    expect(put.body.error.details.map((d: { path: string }) => d.path)).toEqual(['consentProof.ip']);
    expect((await ingest.get('/v1/users/proof-bad')).status).toBe(404);
  });
});
