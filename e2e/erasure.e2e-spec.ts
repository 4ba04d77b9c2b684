import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { deriveSendId, type SendRequest } from '@nudge/contracts';
import { createKafka, JsonProducer } from '@nudge/kafka';
import { eventually, type TestStack } from '@nudge/testing';
import { Client } from 'pg';
import { aCampaign, startNudge } from './support/nudge-stack';

const run = promisify(execFile);

/** Unique strings planted in every place a user's personal data can reach. */
const tag = randomBytes(4).toString('hex');
const markers = {
  userId: `eraseuser${tag}`,
  firstName: `Fname${tag}`,
  phoneDigits: `346${String(parseInt(tag, 16) % 100_000_000).padStart(8, '0')}`,
  email: `mail${tag}@example.com`,
  property: `prop${tag}`,
  linkRef: `link${tag}`,
  exception: `exc${tag}`,
  reply: `reply${tag}`,
};
const userId = markers.userId;
const phone = `+${markers.phoneDigits}`;

/** A journey that sends a tracked link (its target carries a marker), then waits for a purchase that never comes. */
const journey = {
  id: 'erasure-journey',
  name: 'Erasure journey',
  trigger: { event: 'signed_up' },
  steps: [
    {
      id: 'welcome',
      type: 'message',
      message: {
        channel: 'sms',
        body: 'Hi {{ profile.attributes.firstName }}: {{ "https://shop.example/offer?ref=" | append: event.properties.linkRef | track }}',
      },
    },
    { id: 'await-purchase', type: 'waitFor', event: 'purchase', timeout: 'PT20S', next: 'reminder', onTimeout: 'reminder' },
    { id: 'reminder', type: 'message', message: { channel: 'sms', body: 'Still there, {{ profile.attributes.firstName }}?' } },
  ],
};

/** A delayed campaign (a pending timer) with an exception, so exception events are kept for it. */
const delayed = {
  ...aCampaign('erasure-delayed')
    .triggeredBy('signed_up')
    .withDelay('PT25S')
    .withBody('Later, {{ profile.attributes.firstName }} ({{ event.properties.note }})')
    .build(),
  exceptions: [{ event: 'cart_emptied', match: { cartId: 'cartId' } }],
};

const inbox = {
  ...aCampaign('erasure-inbox').triggeredBy('signed_up').build(),
  message: { channel: 'inapp', body: 'Inbox for {{ profile.attributes.firstName }}, {{ profile.channels.email.address }}' },
};

interface Message {
  id: string;
  sendId: string;
  campaignId: string;
  body: string | null;
  status: string;
  failureReason: string | null;
  to: string;
  userId: string;
}

describe('erasure of a user', () => {
  let stack: TestStack;
  let db: Client;
  let rules: JsonProducer;

  beforeAll(async () => {
    stack = await startNudge({ label: 'erasure' });
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    rules = new JsonProducer(
      createKafka({ brokers: stack.brokers.split(','), clientId: 'erasure-rules', topicPrefix: stack.topics.prefix }),
    );
    await rules.connect();
    const campaigns = { [journey.id]: journey, 'erasure-delayed': delayed, 'erasure-inbox': inbox };
    for (const [id, campaign] of Object.entries(campaigns)) {
      expect((await stack.client('rules').put(`/v1/campaigns/${id}`, campaign)).status).toBeLessThan(300);
    }
  });

  afterAll(async () => {
    await rules?.disconnect();
    await db?.end();
    await stack?.stop();
  });

  const messagesOf = async (user: string): Promise<Message[]> =>
    (await stack.client('dispatch').get(`/v1/messages?userId=${encodeURIComponent(user)}`)).body.items;

  const runOf = async (user: string) => (await stack.client('rules').get(`/v1/users/${user}/journeys`)).body.items[0];

  const count = async (sql: string, parameters: unknown[] = []): Promise<number> =>
    Number((await db.query<{ n: string }>(sql, parameters)).rows[0]?.n);

  /** Fails if `probe` finds something at any poll before `until` (a known due time, not a guessed sleep). */
  async function neverUntil(until: number, probe: () => Promise<string | undefined>): Promise<void> {
    for (let polls = 0; Date.now() < until && polls < 600; polls++) {
      const found = await probe();
      if (found !== undefined) throw new Error(found);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('leaves none of the user’s personal values in any table, and sends nothing afterwards', async () => {
    const profile = {
      attributes: { firstName: markers.firstName },
      timezone: 'Europe/Madrid',
      country: 'ES',
      channels: {
        sms: { address: phone, consent: { marketing: true, transactional: true } },
        email: { address: markers.email, consent: { marketing: true, transactional: true } },
        inapp: { address: userId, consent: { marketing: true, transactional: true } },
      },
    };
    expect((await stack.client('ingest').put(`/v1/users/${userId}`, profile)).status).toBe(200);
    const signedUp = Date.now();
    await stack.client('ingest').post('/v1/events', {
      userId,
      name: 'signed_up',
      eventId: `signup-${tag}`,
      properties: { note: markers.property, linkRef: markers.linkRef, cartId: 'c1' },
    });
    await stack.client('ingest').post('/v1/events', {
      userId,
      name: 'cart_emptied',
      eventId: `emptied-${tag}`,
      properties: { cartId: markers.exception },
    });

    // The welcome SMS and the in-app item are out; its tracked link is clicked; the user replies.
    const welcome = await eventually(async () =>
      (await messagesOf(userId)).find((m) => m.campaignId === 'erasure-journey' && m.status === 'delivered'),
    );
    await eventually(async () => (await messagesOf(userId)).find((m) => m.campaignId === 'erasure-inbox' && m.status !== 'queued'));
    const code = /\/c\/([A-Za-z0-9_-]+)/.exec(welcome.body ?? '')?.[1];
    const click = await fetch(`${stack.url('dispatch')}/c/${code}`, { redirect: 'manual' });
    expect(click.headers.get('location')).toContain(markers.linkRef);
    const reply = await stack
      .client('dispatch')
      .post('/v1/providers/sandbox/inbound', { channel: 'sms', from: phone, text: markers.reply });
    expect(reply.status).toBeLessThan(300);

    // Mid-journey (waiting, its click and reply recorded), with a pending timer and an exception event kept.
    await eventually(async () => {
      const current = await runOf(userId);
      return current?.status === 'active' && current.steps.welcome?.clicked && current.steps.welcome?.replied ? current : undefined;
    });
    expect(await count('SELECT count(*) AS n FROM pending_sends WHERE user_id = $1', [userId])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM exception_events WHERE user_id = $1', [userId])).toBe(1);
    const messagesBefore = await count('SELECT count(*) AS n FROM messages');

    expect((await stack.client('ingest').delete(`/v1/users/${userId}`)).status).toBe(204);

    // Nothing fires: the delayed send was due 25 s after the sign-up, the journey's wait ended 20 s after the welcome.
    await neverUntil(signedUp + 30_000, async () => {
      const now = await count('SELECT count(*) AS n FROM messages');
      return now === messagesBefore ? undefined : `a message was created after the erasure (${now} messages, ${messagesBefore} before)`;
    });
    expect(await count('SELECT count(*) AS n FROM pending_sends')).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM journey_runs WHERE status = 'active'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM messages WHERE status = 'queued'`)).toBe(0);

    // Counts stay: the user's messages and decisions are still there, under the user's key.
    expect(await count(`SELECT count(*) AS n FROM messages WHERE user_id LIKE 'erased:%'`)).toBe(messagesBefore);
    expect(await count(`SELECT count(*) AS n FROM decisions WHERE user_id LIKE 'erased:%'`)).toBeGreaterThan(0);

    const { stdout: dump } = await run('pg_dump', ['--no-owner', '--no-privileges', stack.database.url], { maxBuffer: 64 * 1024 * 1024 });
    expect(dump).toContain('COPY public.messages');
    const found = Object.entries(markers).filter(([, marker]) => dump.toLowerCase().includes(marker.toLowerCase()));
    expect(found.map(([name]) => name)).toEqual([]);
  });

  it('drops a send request of an erased user still in flight, and sends one of a new sign-up under the same id', async () => {
    const user = `inflight${tag}`;
    await stack.client('ingest').put(`/v1/users/${user}`, {
      channels: { sms: { address: '+34600000999', consent: { marketing: true, transactional: true } } },
    });
    const before = new Date(Date.now() - 1_000).toISOString();
    expect((await stack.client('ingest').delete(`/v1/users/${user}`)).status).toBe(204);

    // Decided before the erasure, still on the dispatch topic when it happened.
    const inFlight = aSendRequest(user, `late-${tag}`, before, `Hi ${markers.firstName}`);
    await rules.publish(stack.topics.dispatch, [{ key: user, value: inFlight }]);
    const dropped = await eventually(async () => {
      const { rows } = await db.query<{ status: string; recipient: string; body: string | null; user_id: string; failure_reason: string }>(
        'SELECT status, recipient, body, user_id, failure_reason, request::text AS request FROM messages WHERE send_id = $1',
        [inFlight.sendId],
      );
      return rows[0];
    });
    expect(dropped).toMatchObject({ status: 'failed', recipient: '[erased]', body: null, failure_reason: 'the user was erased' });
    expect(dropped.user_id).toMatch(/^erased:[0-9a-f]{64}$/);
    expect(JSON.stringify(dropped)).not.toContain(markers.firstName);
    expect(JSON.stringify(dropped)).not.toContain(user);

    // A new sign-up under the same id afterwards is sent to as usual.
    await stack.client('ingest').put(`/v1/users/${user}`, {
      channels: { sms: { address: '+34600000998', consent: { marketing: true, transactional: true } } },
    });
    const fresh = aSendRequest(user, `fresh-${tag}`, new Date().toISOString(), 'Welcome back');
    await rules.publish(stack.topics.dispatch, [{ key: user, value: fresh }]);
    const sent = await eventually(async () => (await messagesOf(user)).find((m) => m.sendId === fresh.sendId && m.status === 'delivered'));
    expect(sent.body).toBe('Welcome back');
  });

  it('decides nothing on an event still in flight when its user was erased', async () => {
    const user = `lateevent${tag}`;
    await stack.client('ingest').put(`/v1/users/${user}`, {
      channels: { sms: { address: '+34600000997', consent: { marketing: true, transactional: true } } },
    });
    const receivedBefore = new Date(Date.now() - 1_000).toISOString();
    expect((await stack.client('ingest').delete(`/v1/users/${user}`)).status).toBe(204);

    // Received by ingest before the erasure, evaluated by rules after it.
    const eventId = `inflight-event-${tag}`;
    const event = {
      eventId,
      userId: user,
      name: 'signed_up',
      timestamp: receivedBefore,
      receivedAt: receivedBefore,
      properties: { note: markers.property },
      context: {},
    };
    await rules.publish(stack.topics.events, [{ key: user, value: event }]);
    await eventually(async () =>
      (await count('SELECT count(*) AS n FROM processed_events WHERE event_id = $1', [eventId])) === 1 ? true : undefined,
    );
    expect(await count('SELECT count(*) AS n FROM decisions WHERE trigger_event_id = $1', [eventId])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM journey_runs WHERE trigger_event_id = $1', [eventId])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM pending_sends WHERE trigger_event_id = $1', [eventId])).toBe(0);
  });
});

/** A send request as rules publishes it, decided (and its trigger received) at `at`. */
function aSendRequest(userId: string, triggerEventId: string, at: string, body: string): SendRequest {
  const campaignId = 'erasure-direct';
  return {
    sendId: deriveSendId({ campaignId, triggerEventId, stepId: 'main' }),
    campaignId,
    campaignVersion: 1,
    category: 'transactional',
    stepId: 'main',
    userId,
    triggerEventId,
    decidedAt: at,
    channel: 'sms',
    to: '+34600000998',
    message: { body },
    scope: {
      event: { eventId: triggerEventId, userId, name: 'signed_up', timestamp: at, receivedAt: at, properties: {}, context: {} },
      profile: { userId },
      campaign: { id: campaignId, version: 1 },
    },
  };
}
