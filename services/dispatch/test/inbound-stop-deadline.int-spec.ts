import { PROVIDER_FACTORIES, type OutboundMessage } from '@nudge/channels';
import { userLockKey } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import { BrokerPartition, testKafkaBrokers, type ApiClient, type ApiResponse } from '@nudge/testing';
import type { DataSource } from 'typeorm';
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
/** Far below kafkajs' own minute of retries: a STOP waits on Postgres only. */
const ANSWERED_WITHIN_MS = 3_000;
/** More concurrent STOPs (of as many numbers) than dispatch has pooled connections (12). */
const CROWD = 16;

const ANA = { userId: 'ana', phone: '+34600000501' };
const BEN = { userId: 'ben', phone: '+34600000502' };
const crowd = Array.from({ length: CROWD }, (_, i) => `+346000006${String(i).padStart(2, '0')}`);

/** The webhook body the provider sends: its numbers without the `+`. */
const inboundWebhook = (...messages: { phone: string; text: string }[]) =>
  JSON.stringify({ inbound: messages.map(({ phone, text }) => ({ from: phone.slice(1), text })) });

async function timed(request: Promise<ApiResponse>): Promise<ApiResponse & { ms: number }> {
  const started = Date.now();
  const response = await request;
  return { ...response, ms: Date.now() - started };
}

// The broker is lost to dispatch alone (a partition in this process); the shared broker stays up.
// A STOP sets the address's suppression in Postgres and its events go through the outbox: Kafka is
// never waited on while the provider's webhook request is open, nor while a user's lock is held.
describe('dispatch: an inbound STOP is applied with the broker lost', () => {
  let dispatch: DispatchHarness;
  let partition: BrokerPartition;
  let anonymous: ApiClient;
  let database: DataSource;
  const outbox: OutboundMessage[] = [];

  /** Posts `raw` as the provider would: signed over our public URL and the exact bytes, with no API key. */
  const deliverWebhook = (raw: string) =>
    anonymous.request(
      'POST',
      INBOUND_PATH,
      undefined,
      { 'content-type': 'application/json', 'x-test-signature': signWebhook(SECRET, `${PUBLIC_URL}${INBOUND_PATH}`, raw) },
      raw,
    );

  const suppressed = async (phone: string): Promise<boolean | null> => {
    const rows: { suppressed: boolean }[] = await database.query(
      `SELECT suppressed FROM suppressions WHERE channel = 'sms' AND address = $1`,
      [phone],
    );
    return rows[0]?.suppressed ?? null;
  };

  const inboundTextsFrom = async (phone: string): Promise<string[]> => {
    const rows: { text: string }[] = await database.query('SELECT text FROM inbound_messages WHERE from_address = $1 ORDER BY id', [phone]);
    return rows.map((row) => row.text);
  };

  beforeAll(async () => {
    partition = await BrokerPartition.install(testKafkaBrokers());
    dispatch = await startDispatch(
      'dispatch-stop-deadline',
      { PUBLIC_URL, NUDGE_API_KEY: 'dispatch-test-key', NUDGE_SECRET_SIGNED_TEST: SECRET },
      { providerFactories: { ...PROVIDER_FACTORIES, [SIGNED_TEST_PROVIDER]: signedTestProvider(outbox) } },
    );
    await saveSettings(dispatch, { providers: { sms: { provider: SIGNED_TEST_PROVIDER, secretEnv: 'NUDGE_SECRET_SIGNED_TEST' } } });
    anonymous = dispatch.stack.client('dispatch', '');
    database = dispatch.stack.app('dispatch').get<symbol, DataSource>(DATA_SOURCE);
    await publishSendRequests(dispatch, aSendRequest({ userId: ANA.userId, triggerEventId: `e-${ANA.userId}`, to: ANA.phone }));
    // The first record waits for dispatch to join its consumer group.
    await messageReaching(dispatch, ANA.userId, `e-${ANA.userId}`, 'sent', 45_000);
    partition.lose();
  }, 120_000);

  afterAll(async () => {
    await partition?.uninstall();
    await dispatch?.stop();
  });

  it('answers 200 at once to a webhook with a STOP and a reply, records both, suppresses the number and queues the confirmation', async () => {
    const both = await timed(deliverWebhook(inboundWebhook({ phone: BEN.phone, text: 'Hola' }, { phone: ANA.phone, text: 'STOP' })));
    expect(both).toMatchObject({ status: 200, body: { inbound: { received: 2, unsubscribed: 1 } } });
    expect(both.ms).toBeLessThan(ANSWERED_WITHIN_MS);
    expect(await suppressed(ANA.phone)).toBe(true);
    expect(await suppressed(BEN.phone)).toBeNull();
    expect(await inboundTextsFrom(ANA.phone)).toEqual(['STOP']);
    expect(await inboundTextsFrom(BEN.phone)).toEqual(['Hola']);
    await messageReaching(dispatch, ANA.userId, `e-${ANA.userId}`, 'replied');
    const confirmations = await database.query(`SELECT recipient FROM messages WHERE campaign_id = 'keyword-reply'`);
    expect(confirmations).toEqual([{ recipient: ANA.phone }]);
  });

  it('does not exhaust the pool: concurrent STOPs from more numbers than connections all answer 200 in time, and /health reaches the database', async () => {
    const started = Date.now();
    const stops = crowd.map((phone) => deliverWebhook(inboundWebhook({ phone, text: 'STOP' })));
    const health = await timed(anonymous.get('/health'));
    const answers = await Promise.all(stops);

    expect(answers.map((answer) => answer.status)).toEqual(crowd.map(() => 200));
    expect(Date.now() - started).toBeLessThan(2 * ANSWERED_WITHIN_MS);
    expect(health.ms).toBeLessThan(2 * ANSWERED_WITHIN_MS);
    expect(health.body).toMatchObject({ details: { database: { status: 'up' } } });
    for (const phone of crowd) expect(await suppressed(phone)).toBe(true);
  });

  it("holds no user's lock once the STOPs are answered", async () => {
    const [{ free }] = await database.query(`SELECT pg_try_advisory_lock(${userLockKey('$1::text')}) AS free`, [ANA.userId]);
    expect(free).toBe(true);
    await database.query(`SELECT pg_advisory_unlock(${userLockKey('$1::text')})`, [ANA.userId]);
  });
});
