import { eventually, type TestStack } from '@nudge/testing';
import path from 'node:path';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

// SPEC's walkthrough on the real stack: profile → event → delay → one delivered message.
describe('an event becomes a sent message', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'walkthrough', configDir: path.join(__dirname, '..', 'config') });
    const campaign = aCampaign('cart-reminder')
      .withCondition('$.properties.cartValue', 'greaterThan', 100)
      .withDelay('PT2S')
      .withBody('Hi {{ profile.attributes.firstName }}, your cart of {{ event.properties.cartValue }} € is waiting')
      .build();
    expect((await stack.client('rules').put('/v1/campaigns/cart-reminder', campaign)).status).toBe(200);
    await stack
      .client('rules')
      .put('/v1/campaigns/paused-one', aCampaign('paused-one').triggeredBy('app_opened').withStatus('paused').build());
  });

  afterAll(() => stack?.stop());

  it('loads the example campaign shipped in config/', async () => {
    const campaigns = await eventually(async () => {
      const { body } = await stack.client('rules').get('/v1/campaigns');
      return body.items.some((c: { id: string }) => c.id === 'cart-abandon-sms') ? body.items : undefined;
    });
    expect(campaigns.find((c: { id: string }) => c.id === 'cart-abandon-sms').version).toBe(1);
  });

  it('sends one personalised SMS after the delay, with "scheduled" then "sent" in the decision log', async () => {
    expect((await stack.client('ingest').put('/v1/users/ana', aReachableProfile('Ana'))).status).toBe(200);
    const posted = await stack
      .client('ingest')
      .post('/v1/events', { userId: 'ana', name: 'cart_abandoned', properties: { cartValue: 130 } });
    expect(posted.status).toBe(202);

    const message = await eventually(
      async () => {
        const { body } = await stack.client('dispatch').get('/v1/messages?userId=ana&campaignId=cart-reminder');
        return body.items.find((m: { status: string }) => m.status === 'delivered');
      },
      { what: 'a delivered message for ana' },
    );
    expect(message).toMatchObject({
      channel: 'sms',
      provider: 'sandbox',
      to: '+34600000001',
      body: 'Hi Ana, your cart of 130 € is waiting',
    });

    const { body: decisions } = await stack.client('rules').get('/v1/users/ana/decisions');
    const forCampaign = decisions.items.filter((d: { campaignId: string }) => d.campaignId === 'cart-reminder');
    expect(forCampaign.map((d: { outcome: string }) => d.outcome)).toEqual(['sent', 'scheduled']);
    const [sent, scheduled] = forCampaign;
    expect(new Date(scheduled.scheduledFor).getTime()).toBeLessThanOrEqual(new Date(sent.at).getTime());
    expect(new Date(sent.at).getTime() - new Date(scheduled.at).getTime()).toBeGreaterThanOrEqual(1_500);
    const { body: messages } = await stack.client('dispatch').get('/v1/messages?userId=ana');
    expect(messages.items).toHaveLength(1);
  });

  it('records conditions_not_met when the cart is too small, and sends nothing', async () => {
    await stack.client('ingest').put('/v1/users/bea', aReachableProfile('Bea', '+34600000002'));
    await stack.client('ingest').post('/v1/events', { userId: 'bea', name: 'cart_abandoned', properties: { cartValue: 50 } });
    const decision = await eventually(async () => {
      const { body } = await stack.client('rules').get('/v1/users/bea/decisions');
      return body.items.find((d: { campaignId: string }) => d.campaignId === 'cart-reminder');
    });
    expect(decision.outcome).toBe('conditions_not_met');
    expect((await stack.client('dispatch').get('/v1/messages?userId=bea')).body.items).toEqual([]);
  });

  it('records campaign_inactive for a paused campaign', async () => {
    await stack.client('ingest').post('/v1/events', { userId: 'carla', name: 'app_opened' });
    const decision = await eventually(async () => {
      const { body } = await stack.client('rules').get('/v1/users/carla/decisions');
      return body.items[0];
    });
    expect(decision).toMatchObject({ campaignId: 'paused-one', outcome: 'campaign_inactive', reason: expect.stringContaining('paused') });
  });

  it('evaluates the same eventId once, however often it is sent', async () => {
    await stack.client('ingest').put('/v1/users/dora', aReachableProfile('Dora', '+34600000004'));
    const event = { eventId: 'dup-1', userId: 'dora', name: 'cart_abandoned', properties: { cartValue: 50 } };
    await stack.client('ingest').post('/v1/events', event);
    await stack.client('ingest').post('/v1/events/batch', { events: [event, { ...event, eventId: 'marker-1' }] });
    const decisions = await eventually(async () => {
      const { body } = await stack.client('rules').get('/v1/users/dora/decisions');
      return body.items.some((d: { triggerEventId: string }) => d.triggerEventId === 'marker-1') ? body.items : undefined;
    });
    const forDuplicate = decisions.filter(
      (d: { triggerEventId: string; campaignId: string }) => d.triggerEventId === 'dup-1' && d.campaignId === 'cart-reminder',
    );
    expect(forDuplicate).toHaveLength(1);
  });
});
