import { PROVIDER_FACTORIES, type OutboundMessage } from '@nudge/channels';
import type { Profile } from '@nudge/contracts';
import { ProfileStore, userLockKey } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import {
  BrokerPartition,
  eventually,
  readTopic,
  testKafkaBrokers,
  type ApiClient,
  type ApiResponse,
  type ReadRecord,
} from '@nudge/testing';
import type { DataSource } from 'typeorm';
import { isDeepStrictEqual } from 'node:util';
import {
  aSendRequest,
  messageReaching,
  publishSendRequests,
  saveSettings,
  startDispatch,
  type DispatchHarness,
} from './support/dispatch-stack';
import { SIGNED_TEST_PROVIDER, signedTestProvider, signWebhook } from './support/signed-test-provider';

const PUBLIC_URL = 'https://nudge.example';
const SECRET = 'webhook-secret';
const INBOUND_PATH = '/v1/providers/signed-test/inbound';
const DEADLINE_MS = 2_000;
/** The behaviour under test: an answer well before kafkajs' own minute of retries. */
const ANSWERED_WITHIN_MS = 3 * DEADLINE_MS;
/** More concurrent STOPs (of as many users) than dispatch has pooled connections (12). */
const CROWD = 16;
/** Those beyond the free connections wait for one: a round of the deadline each, still far from a minute. */
const CROWD_ANSWERED_WITHIN_MS = 4 * DEADLINE_MS;

const ANA = { userId: 'ana', phone: '+34600000501' };
const BEN = { userId: 'ben', phone: '+34600000502' };
const crowd = Array.from({ length: CROWD }, (_, i) => ({ userId: `crowd-${i}`, phone: `+346000006${String(i).padStart(2, '0')}` }));

/** The webhook body the provider sends: its numbers without the `+`. */
const inboundWebhook = (...messages: { phone: string; text: string }[]) =>
  JSON.stringify({ inbound: messages.map(({ phone, text }) => ({ from: phone.slice(1), text })) });

async function timed(request: Promise<ApiResponse>): Promise<ApiResponse & { ms: number }> {
  const started = Date.now();
  const response = await request;
  return { ...response, ms: Date.now() - started };
}

// The broker is lost to dispatch alone (a partition in this process); the shared broker stays up.
describe("dispatch: an inbound STOP never holds the user's lock waiting on a lost broker past its deadline", () => {
  let dispatch: DispatchHarness;
  let partition: BrokerPartition;
  let anonymous: ApiClient;
  let database: DataSource;
  const outbox: OutboundMessage[] = [];

  /** Posts `raw` as the provider would: signed over our public URL and the exact bytes, with no API key. */
  const deliverWebhook = (raw: string) =>
    anonymous.request<any>(
      'POST',
      INBOUND_PATH,
      undefined,
      { 'content-type': 'application/json', 'x-test-signature': signWebhook(SECRET, `${PUBLIC_URL}${INBOUND_PATH}`, raw) },
      raw,
    );

  const profileOf = async (userId: string): Promise<Profile | null> => new ProfileStore(database).get(userId);

  const inboundTextsFrom = async (phone: string): Promise<string[]> => {
    const rows: { text: string }[] = await database.query('SELECT text FROM inbound_messages WHERE from_address = $1 ORDER BY id', [phone]);
    return rows.map((row) => row.text);
  };

  beforeAll(async () => {
    partition = await BrokerPartition.install(testKafkaBrokers());
    dispatch = await startDispatch(
      'dispatch-stop-deadline',
      {
        PUBLIC_URL,
        NUDGE_API_KEY: 'dispatch-test-key',
        NUDGE_SECRET_SIGNED_TEST: SECRET,
        DISPATCH_PUBLISH_TIMEOUT_MS: String(DEADLINE_MS),
      },
      { providerFactories: { ...PROVIDER_FACTORIES, [SIGNED_TEST_PROVIDER]: signedTestProvider(outbox) } },
    );
    await saveSettings(dispatch, { providers: { sms: { provider: SIGNED_TEST_PROVIDER, secretEnv: 'NUDGE_SECRET_SIGNED_TEST' } } });
    anonymous = dispatch.stack.client('dispatch', '');
    database = dispatch.stack.app('dispatch').get<symbol, DataSource>(DATA_SOURCE);

    const recipients = [ANA, BEN, ...crowd];
    await publishSendRequests(
      dispatch,
      ...recipients.map(({ userId, phone }) => aSendRequest({ userId, triggerEventId: `e-${userId}`, to: phone })),
    );
    const profiles = new ProfileStore(database);
    for (const { userId, phone } of recipients) {
      // The first records wait for dispatch to join its consumer group through the switch.
      await messageReaching(dispatch, userId, `e-${userId}`, 'sent', 45_000);
      const consenting = { channels: { sms: { address: phone, consent: { marketing: true } } } };
      await profiles.merge(userId, consenting, { at: '2026-11-23T09:00:00.000Z', source: 'test' }, async () => undefined);
    }
    partition.lose();
  }, 120_000);

  afterAll(async () => {
    await partition?.uninstall();
    await dispatch?.stop();
  });

  it('answers 503 unavailable to a STOP within the deadline, saying why, and changes no consent and records nothing', async () => {
    const stop = await timed(deliverWebhook(inboundWebhook({ phone: ANA.phone, text: 'STOP' })));
    expect(stop).toMatchObject({
      status: 503,
      body: { error: { code: 'unavailable', message: expect.stringContaining('the unsubscribe on sms was not applied') } },
    });
    expect(stop.body.error.message).toContain(`no acknowledgement from Kafka within ${DEADLINE_MS} ms`);
    expect(stop.ms).toBeLessThan(ANSWERED_WITHIN_MS);

    expect(await profileOf(ANA.userId)).toMatchObject({ version: 1, channels: { sms: { consent: { marketing: true } } } });
    expect(await inboundTextsFrom(ANA.phone)).toEqual([]);
    expect((await dispatch.stack.client('dispatch').get(`/v1/messages?userId=${ANA.userId}`)).body.items[0].status).toBe('sent');
  });

  it('records none of the messages of a webhook whose STOP fails, so the redelivery records none twice', async () => {
    const both = await timed(deliverWebhook(inboundWebhook({ phone: BEN.phone, text: 'Hola' }, { phone: ANA.phone, text: 'STOP' })));
    expect(both).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(both.ms).toBeLessThan(ANSWERED_WITHIN_MS);
    expect(await inboundTextsFrom(BEN.phone)).toEqual([]);
    expect(await inboundTextsFrom(ANA.phone)).toEqual([]);
  });

  it('does not exhaust the pool: concurrent STOPs of more users than connections all answer 503 in time, and /health reaches the database', async () => {
    const started = Date.now();
    const stops = crowd.map(({ phone }) => deliverWebhook(inboundWebhook({ phone, text: 'STOP' })));
    const health = await timed(anonymous.get<any>('/health'));
    const answers = await Promise.all(stops);

    expect(answers.map((answer) => answer.status)).toEqual(crowd.map(() => 503));
    expect(Date.now() - started).toBeLessThan(CROWD_ANSWERED_WITHIN_MS);
    expect(health.ms).toBeLessThan(CROWD_ANSWERED_WITHIN_MS);
    expect(health.body).toMatchObject({ details: { database: { status: 'up' } } });
    for (const { userId } of [crowd.at(0), crowd.at(-1)].flatMap((user) => (user ? [user] : [])))
      expect(await profileOf(userId)).toMatchObject({ version: 1, channels: { sms: { consent: { marketing: true } } } });
  });

  it("released the users' locks once the STOPs were answered", async () => {
    for (const userId of [ANA.userId, BEN.userId, 'crowd-0']) {
      const [{ free }] = await database.query(`SELECT pg_try_advisory_lock(${userLockKey('$1::text')}) AS free`, [userId]);
      expect(free).toBe(true);
      await database.query(`SELECT pg_advisory_unlock(${userLockKey('$1::text')})`, [userId]);
    }
  });

  it("once the broker is back, the provider's redelivery applies the STOP once and records each message once", async () => {
    partition.heal();
    const webhook = inboundWebhook({ phone: BEN.phone, text: 'Hola' }, { phone: ANA.phone, text: 'STOP' });
    // kafkajs reconnects on its own schedule; each redelivery answers within the deadline meanwhile.
    const redelivered = await eventually(
      async () => {
        const answer = await timed(deliverWebhook(webhook));
        expect(answer.ms).toBeLessThan(ANSWERED_WITHIN_MS);
        return answer.status === 200 ? answer : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'a redelivered STOP to be applied once the broker is back' },
    );
    expect(redelivered.body.inbound).toEqual({ received: 2, unsubscribed: 1 });

    const withdrawn = await profileOf(ANA.userId);
    expect(withdrawn).toMatchObject({
      version: 2,
      channels: { sms: { consent: { marketing: false }, consentLog: { marketing: { value: false, source: 'inbound:signed-test:STOP' } } } },
    });
    expect(await inboundTextsFrom(ANA.phone)).toEqual(['STOP']);
    expect(await inboundTextsFrom(BEN.phone)).toEqual(['Hola']);
    await messageReaching(dispatch, ANA.userId, `e-${ANA.userId}`, 'replied');

    // A failed try's send acknowledged after its deadline (kafkajs retries it on its own
    // schedule) may land before or after the committed profile: the same withdrawal and version
    // with an earlier time, so no record of the user on the topic contradicts Postgres' consent.
    const isAna = (record: ReadRecord) => record.key === ANA.userId;
    const records = await readTopic(dispatch.stack.brokers, dispatch.stack.topics.profiles, {
      until: (all) => all.some((record) => isAna(record) && isDeepStrictEqual(record.value, withdrawn)),
      timeoutMs: 20_000,
    });
    const published = records.filter(isAna).map((record) => record.value);
    expect(published).toContainEqual(withdrawn);
    for (const profile of published) expect(profile).toMatchObject({ version: 2, channels: { sms: { consent: { marketing: false } } } });
  });
});
