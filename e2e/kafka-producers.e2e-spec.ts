import { randomBytes } from 'node:crypto';
import { DLQ_HEADERS } from '@nudge/contracts';
import { eventually, produceWithConsoleProducer, readTopic, type ReadRecord, type TestStack } from '@nudge/testing';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

// Issue #15: teams whose events already flow through Kafka, tried as a new user would, with
// Apache Kafka's own console producer (not a client of ours): a SPEC §3 event keyed by userId
// into nudge.events.v1, Segment messages and CloudEvents (binary mode) into a topic ingest is
// configured to read (INGEST_KAFKA_TOPICS). Each is decided and sent like an HTTP event; a
// broken record goes to its topic's DLQ naming the fault, and the record behind it is still read.
describe('events from Kafka producers that are not Nudge', () => {
  let stack: TestStack;
  const intakeTopic = `e2e-intake-${randomBytes(4).toString('hex')}`;
  const users = ['spec-u', 'spec-bare', 'seg-u', 'seg-after', 'ce-u', 'ce-after'];

  beforeAll(async () => {
    stack = await startNudge({ label: 'kafka-producers', env: { INGEST_KAFKA_TOPICS: intakeTopic, INGEST_KAFKA_START: 'earliest' } });
    const campaigns = [
      aCampaign('spec-cart').triggeredBy('cart_abandoned').build(),
      aCampaign('segment-order')
        .triggeredBy('Order Completed')
        .withBody('Hi {{ profile.attributes.firstName }}, order {{ event.properties.orderId }}')
        .build(),
      aCampaign('ce-cart').triggeredBy('com.shop.cart.abandoned').build(),
    ];
    for (const campaign of campaigns) expect((await stack.client('rules').put(`/v1/campaigns/${campaign.id}`, campaign)).status).toBe(200);
    for (const [i, user] of users.entries()) {
      expect((await stack.client('ingest').put(`/v1/users/${user}`, aReachableProfile('Ana', `+3461000000${i}`))).status).toBe(200);
    }
  });

  afterAll(() => stack?.stop());

  /** The message dispatch holds for `userId`, once there is one. */
  const messageOf = (userId: string) =>
    eventually(async () => (await stack.client('dispatch').get(`/v1/messages?userId=${userId}`)).body.items[0], {
      timeoutMs: 30_000,
      what: `a message to ${userId}`,
    });
  /** The dead letters of `topic` once `count` of them are there (a bounded wait). */
  const deadLetters = (topic: string, count: number) =>
    readTopic(stack.brokers, `${topic}.dlq`, { until: (records) => records.length >= count, timeoutMs: 20_000 });
  const errorsOf = (letters: ReadRecord[]) => letters.map((r) => [r.key, r.headers[DLQ_HEADERS.errorKind], r.headers[DLQ_HEADERS.error]]);

  it('decides a SPEC §3 event written into nudge.events.v1, with or without eventId, and dead-letters a broken record before it', async () => {
    const now = new Date().toISOString();
    await produceWithConsoleProducer(stack.brokers, stack.topics.events, [
      { key: 'spec-bare', value: '{"userId": "spec-bare", "name": "cart_abandoned", "properties": {' },
      { key: 'spec-bare', value: JSON.stringify({ userId: 'spec-bare', name: 'cart_abandoned', properties: { cartValue: 20 } }) },
      {
        key: 'spec-u',
        value: JSON.stringify({
          eventId: 'spec-1',
          userId: 'spec-u',
          name: 'cart_abandoned',
          timestamp: now,
          properties: { cartValue: 129.9 },
        }),
      },
    ]);

    expect(await messageOf('spec-u')).toMatchObject({ campaignId: 'spec-cart', triggerEventId: 'spec-1', body: 'Hi Ana, cart 129.9' });
    // No eventId: one derived from the record's place, so a redelivery is the same event.
    const bare = await messageOf('spec-bare');
    expect(bare).toMatchObject({ campaignId: 'spec-cart', body: 'Hi Ana, cart 20' });
    expect(bare.triggerEventId).toMatch(new RegExp(`^kafka:${stack.topics.events.replace(/\./g, '\\.')}:\\d+:\\d+$`));
    const decisions = (await stack.client('rules').get('/v1/users/spec-u/decisions')).body.items;
    expect(decisions.map((d: { outcome: string }) => d.outcome)).toEqual(['sent']);

    const dead = await deadLetters(stack.topics.events, 1);
    expect(errorsOf(dead)).toEqual([['spec-bare', 'invalid_json', expect.stringMatching(/^not JSON/)]]);
  });

  it('reads Segment messages from a configured topic as the HTTP API does, and dead-letters a broken one naming the field', async () => {
    const now = new Date().toISOString();
    await produceWithConsoleProducer(stack.brokers, intakeTopic, [
      // Passes the message checks but not the profile's (no country to read the number in): the
      // slice's request is refused as a whole, so each record is applied alone and only this one fails.
      { key: 'seg-u', value: JSON.stringify({ type: 'identify', userId: 'seg-u', traits: { phone: 'call me maybe' } }) },
      {
        key: 'seg-u',
        value: JSON.stringify({
          batch: [
            { type: 'identify', userId: 'seg-u', traits: { firstName: 'Sagal' } },
            {
              type: 'track',
              userId: 'seg-u',
              event: 'Order Completed',
              messageId: 'seg-1',
              timestamp: now,
              properties: { orderId: 'o-7' },
            },
          ],
        }),
      },
      { key: 'seg-after', value: JSON.stringify({ type: 'track', userId: 'seg-after', properties: { orderId: 'o-8' } }) },
      {
        key: 'seg-after',
        value: JSON.stringify({ type: 'track', userId: 'seg-after', event: 'Order Completed', properties: { orderId: 'o-9' } }),
      },
    ]);

    // The identify of the batch reached the profile before its track was decided.
    expect(await messageOf('seg-u')).toMatchObject({ campaignId: 'segment-order', triggerEventId: 'seg-1', body: 'Hi Sagal, order o-7' });
    const after = await messageOf('seg-after');
    expect(after).toMatchObject({ campaignId: 'segment-order', body: 'Hi Ana, order o-9' });
    expect(after.triggerEventId).toMatch(new RegExp(`^kafka:${intakeTopic}:\\d+:\\d+$`));

    const dead = (await deadLetters(intakeTopic, 2)).sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
    expect(errorsOf(dead)).toEqual([
      ['seg-after', 'invalid_segment', 'invalid Segment message: event: is required: the name of the event'],
      ['seg-u', 'invalid_segment', expect.stringMatching(/^invalid Segment message: traits\.phone: /)],
    ]);
  });

  it('reads CloudEvents in binary mode from the configured topic, and dead-letters one without an id with its headers', async () => {
    const ce = (id: string | null, subject: string) => ({
      ...(id === null ? {} : { ce_id: id }),
      ce_specversion: '1.0',
      ce_type: 'com.shop.cart.abandoned',
      ce_source: '/shop/checkout',
      ce_time: new Date().toISOString(),
      ce_subject: subject,
      'content-type': 'application/json',
    });
    await produceWithConsoleProducer(stack.brokers, intakeTopic, [
      { key: 'ce-u', headers: ce('ce-1', 'ce-u'), value: JSON.stringify({ cartId: 'c9', cartValue: 75 }) },
      { key: 'ce-after', headers: ce(null, 'ce-after'), value: JSON.stringify({ cartValue: 1 }) },
      { key: 'ce-after', headers: ce('ce-2', 'ce-after'), value: JSON.stringify({ cartValue: 2 }) },
    ]);

    expect(await messageOf('ce-u')).toMatchObject({ campaignId: 'ce-cart', triggerEventId: 'ce-1', body: 'Hi Ana, cart 75' });
    expect(await messageOf('ce-after')).toMatchObject({ campaignId: 'ce-cart', triggerEventId: 'ce-2', body: 'Hi Ana, cart 2' });

    const dead = (await deadLetters(intakeTopic, 3)).filter((r) => r.key === 'ce-after');
    expect(errorsOf(dead)).toEqual([['ce-after', 'invalid_cloudevent', 'invalid CloudEvent: ce_id: is required']]);
    // The record's own headers go with it: it can be produced again once fixed.
    expect(dead[0]?.headers).toMatchObject({ ce_type: 'com.shop.cart.abandoned', ce_subject: 'ce-after' });
    expect((await stack.client('ingest').get('/metrics')).body).toMatch(
      new RegExp(`nudge_dlq_records_total\\{[^}]*topic="${intakeTopic}"[^}]*kind="invalid_cloudevent"[^}]*\\} 1`),
    );
  });
});
