import { eventually, type TestStack } from '@nudge/testing';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

// Campaigns can trigger on interaction with earlier messages and on location.
describe('message and location triggers', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'interactions' });
  });

  afterAll(() => stack?.stop());

  it('a click on one campaign’s message triggers a follow-up campaign', async () => {
    await stack
      .client('rules')
      .put('/v1/campaigns/first-touch', aCampaign('first-touch').triggeredBy('signed_up').withBody('Welcome').build());
    const followUp = aCampaign('after-click')
      .triggeredBy('message_clicked')
      .withCondition('$.properties.campaignId', 'equal', 'first-touch')
      .withBody('Thanks for clicking')
      .build();
    await stack.client('rules').put('/v1/campaigns/after-click', followUp);
    await stack.client('ingest').put('/v1/users/mi-1', aReachableProfile('Mia', '+34600000201'));
    await stack.client('ingest').post('/v1/events', { userId: 'mi-1', name: 'signed_up' });

    const first = await eventually(async () => {
      const { body } = await stack.client('dispatch').get('/v1/messages?userId=mi-1&campaignId=first-touch');
      return body.items.find((m: { status: string }) => m.status === 'delivered');
    });
    expect((await stack.client('dispatch').post('/v1/providers/sandbox/status', { messageId: first.id, status: 'clicked' })).status).toBe(
      200,
    );

    const second = await eventually(async () => {
      const { body } = await stack.client('dispatch').get('/v1/messages?userId=mi-1&campaignId=after-click');
      return body.items[0];
    });
    expect(second.body).toBe('Thanks for clicking');

    const { body: stats } = await stack.client('rules').get('/v1/campaigns/first-touch/stats');
    expect(stats.funnel).toEqual({
      sent: { count: 1, rate: 1 },
      delivered: { count: 1, rate: 1 },
      read: { count: 1, rate: 1 },
      clicked: { count: 1, rate: 1 },
      converted: { count: 0, rate: 0 },
    });
  });

  it('a location event inside the radius triggers; one outside does not', async () => {
    const nearStore = {
      all: [{ fact: 'event', path: '$.properties', operator: 'withinRadius', value: { lat: 40.4168, lon: -3.7038, meters: 500 } }],
    };
    await stack.client('rules').put('/v1/campaigns/near-store', {
      ...aCampaign('near-store').triggeredBy('location').withBody('You are near our store').build(),
      trigger: { event: 'location', conditions: nearStore },
    });
    await stack.client('ingest').put('/v1/users/lo-1', aReachableProfile('Lola', '+34600000202'));
    await stack.client('ingest').post('/v1/events/batch', {
      events: [
        { userId: 'lo-1', name: 'location', eventId: 'far', properties: { lat: 41.3874, lon: 2.1686 } },
        { userId: 'lo-1', name: 'location', eventId: 'near', properties: { lat: 40.418, lon: -3.705 } },
      ],
    });
    const decisions = await eventually(async () => {
      const { body } = await stack.client('rules').get('/v1/users/lo-1/decisions');
      return body.items.length === 2 ? body.items : undefined;
    });
    const byEvent = Object.fromEntries(decisions.map((d: { triggerEventId: string; outcome: string }) => [d.triggerEventId, d.outcome]));
    expect(byEvent).toEqual({ far: 'conditions_not_met', near: 'sent' });
  });
});
