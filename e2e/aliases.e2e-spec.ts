import { eventually, type TestStack } from '@nudge/testing';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

/** A visitor's trial: a wait, then a message — pending while the visitor is still anonymous. */
const trial = {
  id: 'trial-journey',
  name: 'Trial follow-up',
  trigger: { event: 'trial_started' },
  steps: [
    { id: 'pause', type: 'wait', duration: 'PT5S' },
    { id: 'nudge', type: 'message', message: { channel: 'sms', body: 'How is the trial going, {{ profile.attributes.firstName }}?' } },
  ],
};

interface Message {
  userId: string;
  to: string;
  body: string;
  campaignId: string;
}

// Issue #15: "`alias` merges an anonymous visitor's pending journey into the known user".
describe('an anonymous visitor merged into a known user (alias)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'aliases' });
    expect((await stack.client('rules').put('/v1/campaigns/trial-journey', trial)).status).toBeLessThan(300);
    const cart = aCampaign('cart-later').withDelay('PT5S').withBody('Your cart of {{ event.properties.cartValue }} is waiting').build();
    expect((await stack.client('rules').put('/v1/campaigns/cart-later', cart)).status).toBeLessThan(300);
  });

  afterAll(() => stack?.stop());

  const messagesOf = async (userId: string): Promise<Message[]> =>
    (await stack.client('dispatch').get(`/v1/messages?userId=${userId}`)).body.items;
  const decisionsOf = async (userId: string): Promise<{ campaignId: string; stepId: string; outcome: string }[]> =>
    (await stack.client('rules').get(`/v1/users/${userId}/decisions`)).body.items;
  const alias = (userId: string, previousId: string) => stack.client('ingest').post(`/v1/users/${userId}/aliases`, { previousId });

  /** An anonymous visitor (no profile, no address) with a waiting journey step and a pending delayed send. */
  async function anonymousVisitorWithPendingSteps(anonymousId: string): Promise<void> {
    const ingest = stack.client('ingest');
    await ingest.post('/v1/events', { userId: anonymousId, name: 'trial_started', eventId: `${anonymousId}-trial` });
    await ingest.post('/v1/events', {
      userId: anonymousId,
      name: 'cart_abandoned',
      eventId: `${anonymousId}-cart`,
      properties: { cartValue: 42 },
    });
    await eventually(async () => {
      const { body } = await stack.client('rules').get(`/v1/users/${anonymousId}/journeys`);
      const waiting = body.items[0]?.stepId === 'pause' && body.items[0]?.status === 'active';
      const scheduled = (await decisionsOf(anonymousId)).some((d) => d.campaignId === 'cart-later' && d.outcome === 'scheduled');
      return waiting && scheduled ? true : undefined;
    });
  }

  it("sends the visitor's pending journey step and delayed send to the known user, at their phone", async () => {
    await anonymousVisitorWithPendingSteps('anon-visitor-1');
    expect((await stack.client('ingest').put('/v1/users/ana-known', aReachableProfile('Ana', '+34600000701'))).status).toBe(200);

    expect((await alias('ana-known', 'anon-visitor-1')).status).toBe(204);

    const sent = await eventually(
      async () => {
        const messages = await messagesOf('ana-known');
        return messages.length >= 2 ? messages : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(sent.map((m) => [m.campaignId, m.to, m.body]).sort()).toEqual([
      ['cart-later', '+34600000701', 'Your cart of 42 is waiting'],
      ['trial-journey', '+34600000701', 'How is the trial going, Ana?'],
    ]);
    expect(await messagesOf('anon-visitor-1')).toEqual([]);
    const { body: runs } = await stack.client('rules').get('/v1/users/ana-known/journeys');
    expect(runs.items).toEqual([expect.objectContaining({ campaignId: 'trial-journey', status: 'completed' })]);
    expect((await stack.client('ingest').get('/v1/users/anon-visitor-1')).status).toBe(404);
  });

  it('changes nothing when the same alias is made again, and keys later events of the anonymous id to the known user', async () => {
    await stack.client('ingest').put('/v1/users/anon-visitor-2', { attributes: { firstName: 'Bea', plan: 'trial' } });
    await stack.client('ingest').put('/v1/users/bea-known', aReachableProfile('Beatriz', '+34600000702'));
    expect((await alias('bea-known', 'anon-visitor-2')).status).toBe(204);
    const merged = (await stack.client('ingest').get('/v1/users/bea-known')).body;
    expect(merged.attributes).toEqual({ firstName: 'Beatriz', plan: 'trial' });

    expect((await alias('bea-known', 'anon-visitor-2')).status).toBe(204);
    expect((await stack.client('ingest').get('/v1/users/bea-known')).body).toEqual(merged);
    expect((await stack.client('ingest').get('/v1/users/anon-visitor-2')).status).toBe(404);

    // An event the app still sends under the anonymous id is the known user's.
    await stack.client('ingest').post('/v1/events', {
      userId: 'anon-visitor-2',
      name: 'cart_abandoned',
      eventId: 'anon-visitor-2-cart',
      properties: { cartValue: 7 },
    });
    const scheduled = await eventually(async () => (await decisionsOf('bea-known')).find((d) => d.campaignId === 'cart-later'));
    expect(scheduled.outcome).toBe('scheduled');
    expect(await decisionsOf('anon-visitor-2')).toEqual([]);
  });

  it('refuses an alias to itself (400 naming previousId) and one of an id merged elsewhere (409)', async () => {
    const self = await alias('cruz-known', 'cruz-known');
    expect(self.status).toBe(400);
    expect(self.body.error.details).toEqual([expect.objectContaining({ path: 'previousId' })]);
    expect((await alias('cruz-known', 'anon-visitor-1')).status).toBe(409);
  });
});
