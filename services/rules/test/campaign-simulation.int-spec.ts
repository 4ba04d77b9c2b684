import { createKafka, JsonProducer } from '@nudge/kafka';
import { createRulesApp } from '@nudge/rules';
import { DATA_SOURCE } from '@nudge/service-runtime';
import { simulationProfileOf } from '@nudge/simulation';
import { TestStack } from '@nudge/testing';
import type { DataSource } from 'typeorm';

// "Try before saving": a campaign over sample events, or over the last events rules received,
// decided on virtual time by the engine `nudge simulate` uses; nothing is saved or sent.
describe('POST /v1/campaigns/simulate', () => {
  let stack: TestStack;
  const rules = () => stack.client('rules');
  const campaignYaml = `id: cart-reminder
name: Cart reminder
trigger: { event: cart_abandoned }
delay: PT30M
exceptions: [ { event: purchase, match: { cartId: cartId } } ]
message: { channel: sms, body: "Hi {{ profile.attributes.firstName }}, your cart is waiting" }
`;
  const events = [
    { eventId: 'a1', userId: 'ana', name: 'cart_abandoned', timestamp: '2026-03-02T10:00:00Z', properties: { cartId: 'c1' } },
    { eventId: 'b1', userId: 'bo', name: 'cart_abandoned', timestamp: '2026-03-02T10:05:00Z', properties: { cartId: 'c2' } },
    { eventId: 'b2', userId: 'bo', name: 'purchase', timestamp: '2026-03-02T10:20:00Z', properties: { cartId: 'c2' } },
    { eventId: 'c1', userId: 'cy', name: 'cart_abandoned', timestamp: '2026-03-02T10:10:00Z', properties: { cartId: 'c3' } },
  ];
  const profiles = [
    { userId: 'ana', attributes: { firstName: 'Ana' }, channels: { sms: { address: '+34600000001', consent: { marketing: true } } } },
    { userId: 'bo', channels: { sms: { address: '+34600000002', consent: { marketing: true } } } },
    { userId: 'cy', channels: { sms: { address: '+34600000003', consent: { marketing: false } } } },
  ];

  beforeAll(async () => {
    stack = await TestStack.start({ factories: { rules: createRulesApp }, label: 'simulate' });
  });

  afterAll(() => stack?.stop());

  it('says who would get what when, and who would not and why, for a campaign given as YAML', async () => {
    const { status, body } = await rules().post('/v1/campaigns/simulate', { campaign: campaignYaml, events, profiles });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      campaignId: 'cart-reminder',
      campaignVersion: null,
      events: 4,
      eventsSkipped: 0,
      users: 3,
      decisionsTruncated: false,
    });
    const byUser = (userId: string) =>
      body.decisions.filter((d: { userId: string }) => d.userId === userId).map((d: { outcome: string }) => d.outcome);
    expect(byUser('ana')).toEqual(['scheduled', 'sent']);
    expect(byUser('bo')).toEqual(['scheduled', 'cancelled_exception']);
    expect(byUser('cy')).toEqual(['scheduled', 'no_consent']);
    expect(body.decisions.find((d: { outcome: string }) => d.outcome === 'sent')).toMatchObject({
      at: '2026-03-02T10:30:00.000Z',
      triggerEventId: 'a1',
      channel: 'sms',
      to: '+34600000001',
      body: 'Hi Ana, your cart is waiting',
    });
    expect(body.decisions.find((d: { userId: string; outcome: string }) => d.outcome === 'no_consent')?.reason).toMatch(/consent/);
    expect(body.outcomes).toMatchObject({ scheduled: 3, sent: 1, cancelled_exception: 1, no_consent: 1, capped: 0 });
    // Nothing was saved.
    expect((await rules().get('/v1/campaigns/cart-reminder')).status).toBe(404);
  });

  it('takes a document, and names the field of an invalid campaign, event or profile', async () => {
    const document = { id: 'doc', name: 'Doc', trigger: { event: 'cart_abandoned' }, message: { channel: 'sms', body: 'Hi' } };
    const ok = await rules().post('/v1/campaigns/simulate', {
      campaign: document,
      events: events.slice(0, 1),
      profiles: profiles.slice(0, 1),
    });
    expect(ok.body.decisions.map((d: { outcome: string }) => d.outcome)).toEqual(['sent']);

    const cases: [unknown, string][] = [
      [{ campaign: { ...document, delay: 'soon' }, events }, 'campaign.delay'],
      [{ campaign: 'id: x\nname: [unclosed', events }, 'campaign'],
      [{ campaign: document, events: [events[0], { userId: 'bo', name: 'cart_abandoned' }] }, 'events[1].timestamp'],
      [{ campaign: document, events: [{ ...events[0], userId: '' }] }, 'events[0].userId'],
      [
        { campaign: document, events, profiles: [{ userId: 'ana', channels: { sms: { address: 42 } } }] },
        'profiles[0].channels.sms.address',
      ],
      [{ campaign: document, campaignId: 'x', events }, 'campaign'],
      [{ campaign: document }, 'events'],
      [{ campaign: document, lastEvents: 10_001 }, 'lastEvents'],
      [{ campaign: document, events: Array.from({ length: 10_001 }, () => events[0]) }, 'events'],
    ];
    for (const [request, field] of cases) {
      const { status, body } = await rules().post('/v1/campaigns/simulate', request);
      expect([field, status, body.error.details.map((d: { path: string }) => d.path)]).toEqual([
        field,
        400,
        expect.arrayContaining([field]),
      ]);
    }
  });

  it("runs a saved campaign over the last events rules received, with the users' stored profiles", async () => {
    expect(
      (
        await rules().put('/v1/campaigns/opened', {
          name: 'Opened',
          trigger: { event: 'app_opened' },
          message: { channel: 'sms', body: 'Hi' },
        })
      ).status,
    ).toBe(200);
    const producer = new JsonProducer(createKafka({ brokers: [stack.brokers], clientId: 'simulate-test', topicPrefix: '' }));
    await producer.connect();
    const now = Date.now();
    const event = (eventId: string, at: number) => ({
      eventId,
      userId: 'dee',
      name: 'app_opened',
      timestamp: new Date(at).toISOString(),
      receivedAt: new Date(at).toISOString(),
      properties: {},
      context: {},
    });
    try {
      await producer.publish(stack.topics.events, [
        { key: 'dee', value: event('old', now - 3_000) },
        { key: 'dee', value: event('recent-1', now - 2_000) },
        { key: 'dee', value: event('recent-2', now - 1_000) },
      ]);
      await producer.publishRaw(stack.topics.events, [{ key: 'dee', value: Buffer.from('not an event'), headers: {} }]);
    } finally {
      await producer.disconnect();
    }
    // Dee's profile as ingest stores it: an SMS address with marketing consent.
    const dee = simulationProfileOf('dee', { channels: { sms: { address: '+34600000004', consent: { marketing: true } } } }, 'test');
    await stack
      .app('rules')
      .get<DataSource>(DATA_SOURCE)
      .query('INSERT INTO profiles (user_id, document, version, updated_at) VALUES ($1, $2, 1, now())', ['dee', dee]);
    const { status, body } = await rules().post('/v1/campaigns/simulate', { campaignId: 'opened', lastEvents: 2 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ campaignId: 'opened', campaignVersion: 1, events: 2, eventsSkipped: 1, users: 1 });
    expect(body.decisions.map((d: { triggerEventId: string; outcome: string }) => `${d.triggerEventId} ${d.outcome}`)).toEqual([
      'recent-1 sent',
      'recent-2 sent',
    ]);
    expect(body.decisions[0]).toMatchObject({ channel: 'sms', to: '+34600000004', body: 'Hi' });
    // Profiles given in the request are the only ones used.
    const given = await rules().post('/v1/campaigns/simulate', { campaignId: 'opened', lastEvents: 1, profiles: [{ userId: 'dee' }] });
    expect(given.body.decisions.map((d: { outcome: string }) => d.outcome)).toEqual(['no_address']);
    expect((await rules().post('/v1/campaigns/simulate', { campaignId: 'nobody', lastEvents: 2 })).status).toBe(404);
  });
});
