import { isHeldOut } from '@nudge/decisions';
import { eventually, type TestStack } from '@nudge/testing';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

// Conversions are attributed to the campaign's last send; a holdout group gets `held_out`.
describe('conversions and holdouts', () => {
  let stack: TestStack;
  const users = Array.from({ length: 40 }, (_, i) => `conv-${i}`);

  beforeAll(async () => {
    stack = await startNudge({ label: 'conversions' });
    const campaign = {
      ...aCampaign('conv').triggeredBy('cart_abandoned').build(),
      holdout: 30,
      conversion: { event: 'purchase', within: 'P1D', match: { cartId: 'cartId' } },
    };
    expect((await stack.client('rules').put('/v1/campaigns/conv', campaign)).status).toBe(200);
    await Promise.all(
      users.map((u, i) => stack.client('ingest').put(`/v1/users/${u}`, aReachableProfile(u, `+3463${String(i).padStart(7, '0')}`))),
    );
  });

  afterAll(() => stack?.stop());

  it('holds out a stable group, attributes purchases of the same cart, and reports the uplift', async () => {
    await stack
      .client('ingest')
      .post('/v1/events/batch', { events: users.map((u) => ({ userId: u, name: 'cart_abandoned', properties: { cartId: `cart-${u}` } })) });
    const heldOut = users.filter((u) => isHeldOut(u, 'conv', 30));
    expect(heldOut.length).toBeGreaterThan(0);
    expect(heldOut.length).toBeLessThan(users.length);
    await eventually(async () => {
      const { body } = await stack.client('rules').get('/v1/campaigns/conv/stats');
      return body.outcomes.sent + body.outcomes.held_out === users.length ? true : undefined;
    });
    for (const user of users.slice(0, 5)) {
      const { body } = await stack.client('rules').get(`/v1/users/${user}/decisions`);
      expect(body.items[0].outcome).toBe(heldOut.includes(user) ? 'held_out' : 'sent');
    }

    // Every even user buys their cart; one odd user buys another cart (not a conversion).
    const buyers = users.filter((_, i) => i % 2 === 0);
    await stack.client('ingest').post('/v1/events/batch', {
      events: [
        ...buyers.map((u) => ({ userId: u, name: 'purchase', properties: { cartId: `cart-${u}` } })),
        { userId: users[1], name: 'purchase', properties: { cartId: 'some-other-cart' } },
      ],
    });
    const treatedBuyers = buyers.filter((u) => !heldOut.includes(u)).length;
    const heldOutBuyers = buyers.filter((u) => heldOut.includes(u)).length;
    const stats = await eventually(async () => {
      const { body } = await stack.client('rules').get('/v1/campaigns/conv/stats');
      return body.holdout.treated.conversions + body.holdout.heldOut.conversions === buyers.length ? body : undefined;
    });
    expect(stats.holdout.treated).toMatchObject({ sends: users.length - heldOut.length, conversions: treatedBuyers });
    expect(stats.holdout.heldOut).toMatchObject({ sends: heldOut.length, conversions: heldOutBuyers });
    expect(stats.funnel.converted.count).toBe(treatedBuyers);
    expect(stats.holdout.uplift.ci95[0]).toBeLessThanOrEqual(stats.holdout.uplift.absolute);
    expect((await stack.client('dispatch').get(`/v1/messages?userId=${heldOut[0]}`)).body.items).toEqual([]);
  });
});
