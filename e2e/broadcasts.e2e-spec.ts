import { eventually, type TestStack } from '@nudge/testing';
import { Client } from 'pg';
import { aReachableProfile, startNudge } from './support/nudge-stack';

/** "HH:MM" in UTC, `hours` from now. */
const utcTimeOfDay = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(11, 16);

// A broadcast to a topic on the real stack: each subscriber goes through consent, window and
// caps like any send; one without consent and one outside the window are told apart.
describe('broadcasts on the real stack', () => {
  let stack: TestStack;
  let db: Client;

  beforeAll(async () => {
    stack = await startNudge({ label: 'broadcasts' });
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const rules = () => stack.client('rules');
  const ingest = () => stack.client('ingest');
  const dispatch = () => stack.client('dispatch');

  // A window from one to three hours ahead, UTC: now is outside it in UTC and inside it at UTC+2.
  const window = { start: utcTimeOfDay(1), end: utcTimeOfDay(3), timezone: 'recipient' };
  const inWindowZone = 'Etc/GMT-2'; // UTC+2 (the sign of Etc zones is inverted)
  const news = {
    id: 'winter-news',
    name: 'Winter news',
    audience: { topic: 'news' },
    timeWindow: window,
    message: { channel: 'sms', sender: 'ACME', body: 'Hi {{ profile.attributes.firstName }}, winter news is out' },
  };

  async function completed(id: string) {
    return eventually(
      async () => {
        const { body } = await rules().get(`/v1/broadcasts/${id}`);
        return body.status === 'completed' ? body : undefined;
      },
      { what: `broadcast ${id} to complete` },
    );
  }

  async function broadcastDecisions(userId: string, broadcastId: string) {
    const { body } = await rules().get(`/v1/users/${userId}/decisions`);
    return body.items.filter((d: { campaignId: string }) => d.campaignId === broadcastId);
  }

  async function delivered(userId: string, broadcastId: string) {
    return eventually(
      async () => {
        const { body } = await dispatch().get(`/v1/messages?userId=${userId}&campaignId=${broadcastId}`);
        return body.items.find((m: { status: string }) => m.status === 'delivered');
      },
      { what: `a delivered message of ${broadcastId} for ${userId}` },
    );
  }

  it('sends to the subscribed and consented, tells no_consent and deferred_window apart, and skips the unsubscribed with the reason', async () => {
    const subscribed = { preferences: { topics: { news: true } } };
    await ingest().put('/v1/users/bc-ana', { ...aReachableProfile('Ana', '+34600000201'), ...subscribed, timezone: inWindowZone });
    await ingest().put('/v1/users/bc-noa', {
      ...aReachableProfile('Noa', '+34600000202'),
      ...subscribed,
      timezone: inWindowZone,
      channels: { sms: { address: '+34600000202', consent: { marketing: false, transactional: true } } },
    });
    await ingest().put('/v1/users/bc-off', { ...aReachableProfile('Olga', '+34600000203'), preferences: { topics: { news: false } } });
    await ingest().put('/v1/users/bc-tom', { ...aReachableProfile('Tom', '+34600000204'), ...subscribed, timezone: 'UTC' });

    const created = await rules().post('/v1/broadcasts', news);
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ id: 'winter-news', status: 'scheduled', audience: { topic: 'news' } });

    const done = await completed('winter-news');
    expect(done).toMatchObject({
      processed: 4,
      audienceSize: 4,
      counts: { sent: 1, no_consent: 2, deferred_window: 1, capped: 0 },
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });

    const message = await delivered('bc-ana', 'winter-news');
    expect(message).toMatchObject({
      channel: 'sms',
      to: '+34600000201',
      body: 'Hi Ana, winter news is out',
      triggerEventId: 'broadcast:winter-news',
    });
    expect(await broadcastDecisions('bc-ana', 'winter-news')).toMatchObject([{ outcome: 'sent', triggerEventId: 'broadcast:winter-news' }]);

    const [noConsent] = await broadcastDecisions('bc-noa', 'winter-news');
    expect(noConsent).toMatchObject({ outcome: 'no_consent', reason: expect.stringContaining('marketing consent') });

    expect(await broadcastDecisions('bc-off', 'winter-news')).toMatchObject([
      { outcome: 'no_consent', reason: 'the user switched off the topic "news"' },
    ]);

    const [deferred] = await broadcastDecisions('bc-tom', 'winter-news');
    expect(deferred).toMatchObject({ outcome: 'deferred_window', reason: expect.stringContaining('window') });
    expect(deferred.scheduledFor.slice(11, 16)).toBe(window.start);
    expect(new Date(deferred.scheduledFor).getTime()).toBeGreaterThan(Date.now());

    const { body: messages } = await dispatch().get('/v1/messages?campaignId=winter-news');
    expect(messages.items.map((m: { userId: string }) => m.userId)).toEqual(['bc-ana']);
  });

  it('sends a deferred user the broadcast when the window opens, through the durable timers', async () => {
    // Tom moves to a zone where the window is open, and his timer is made due now.
    await ingest().put('/v1/users/bc-tom', { timezone: inWindowZone });
    const moved = await db.query(`UPDATE pending_sends SET due_at = now() WHERE campaign_id = 'winter-news' AND user_id = 'bc-tom'`);
    expect(moved.rowCount).toBe(1);
    const message = await delivered('bc-tom', 'winter-news');
    expect(message.body).toBe('Hi Tom, winter news is out');
    const outcomes = (await broadcastDecisions('bc-tom', 'winter-news')).map((d: { outcome: string }) => d.outcome);
    expect(outcomes).toEqual(['sent', 'deferred_window']);
  });

  it('answers the same request again with the broadcast already made, and refuses another one under its id', async () => {
    const again = await rules().post('/v1/broadcasts', news);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: 'winter-news', status: 'completed', counts: { sent: 1 } });
    const changed = await rules().post('/v1/broadcasts', { ...news, message: { ...news.message, body: 'Other text' } });
    expect(changed.status).toBe(409);
    expect(changed.body.error.message).toContain('winter-news');
    expect((await dispatch().get('/v1/messages?campaignId=winter-news')).body.items).toHaveLength(2);
    // A campaign may not take a broadcast's id either: their sends are found by that id.
    const campaign = await rules().put('/v1/campaigns/winter-news', {
      id: 'winter-news',
      name: 'Same id',
      trigger: { event: 'x' },
      message: { channel: 'sms', body: 'x' },
    });
    expect(campaign.status).toBe(409);
    expect(campaign.body.error.message).toContain('is the id of a broadcast');
  });

  it('starts a scheduled broadcast at its sendAt, here to a profile segment', async () => {
    await ingest().put('/v1/users/bc-gold', {
      ...aReachableProfile('Gala', '+34600000205'),
      attributes: { firstName: 'Gala', tier: 'gold' },
    });
    const sendAt = new Date(Date.now() + 2_000).toISOString();
    const created = await rules().post('/v1/broadcasts', {
      name: 'Gold members',
      category: 'marketing',
      audience: { conditions: { all: [{ fact: 'profile', path: '$.attributes.tier', operator: 'equal', value: 'gold' }] } },
      sendAt,
      message: { channel: 'sms', body: 'Gold news for {{ profile.attributes.firstName }}' },
    });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^bc_[0-9a-f]{16}$/), status: 'scheduled', sendAt });
    const id = created.body.id;
    expect((await rules().get(`/v1/broadcasts/${id}`)).body.status).toBe('scheduled');

    const done = await completed(id);
    expect(done).toMatchObject({ audienceSize: 1, counts: { sent: 1 } });
    expect(new Date(done.startedAt).getTime()).toBeGreaterThanOrEqual(Date.parse(sendAt));
    const [decision] = await broadcastDecisions('bc-gold', id);
    expect(new Date(decision.at).getTime()).toBeGreaterThanOrEqual(Date.parse(sendAt));
    expect((await delivered('bc-gold', id)).body).toBe('Gold news for Gala');
  });

  it('cancels a broadcast that has not started; it never runs', async () => {
    const later = await rules().post('/v1/broadcasts', {
      ...news,
      id: 'later-news',
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(later.status).toBe(202);
    const cancelled = await rules().post('/v1/broadcasts/later-news/cancel');
    expect(cancelled).toMatchObject({ status: 200, body: { id: 'later-news', status: 'cancelled', finishedAt: expect.any(String) } });
    expect((await rules().post('/v1/broadcasts/later-news/cancel')).status).toBe(200);
    expect((await rules().post('/v1/broadcasts/winter-news/cancel')).status).toBe(409);
    const { body } = await rules().get('/v1/broadcasts');
    expect(body.items.map((b: { id: string }) => b.id)).toEqual(expect.arrayContaining(['later-news', 'winter-news']));
  });

  it('refuses a bad request with a 400 naming each field, and an unknown id with a 404', async () => {
    const bad = await rules().post('/v1/broadcasts', {
      name: 'Bad',
      audience: { conditions: { all: [{ fact: 'event', path: '$.name', operator: 'equal', value: 'x' }] } },
      message: { channel: 'pigeon', body: 'Hi' },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['audience.conditions.all[0].fact', 'message.channel']));
    const empty = await rules().post('/v1/broadcasts', { ...news, id: 'no-audience', audience: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details).toEqual([{ path: 'audience', message: expect.stringContaining('topic') }]);
    expect((await rules().get('/v1/broadcasts/no-audience')).status).toBe(404);
    const unknown = await rules().get('/v1/broadcasts/nope');
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: expect.stringContaining('nope') } } });
  });
});
