import { eventually, type TestStack } from '@nudge/testing';
import { Analytics } from '@segment/analytics-node';
import path from 'node:path';
import { aCampaign, startNudge } from './support/nudge-stack';

const ADMIN_KEY = 'segment-e2e-admin-key';
const WRITE_KEY = 'segment-e2e-write-key';

/** An analytics-node client pointed at ingest as the README says, recording the status of every request it makes. */
function segmentClient(stack: TestStack, writeKey = WRITE_KEY): { analytics: Analytics; statuses: number[] } {
  const analytics = new Analytics({ writeKey, host: stack.url('ingest'), path: '/segment/v1/batch', maxRetries: 0, flushInterval: 200 });
  const statuses: number[] = [];
  analytics.on('http_response', (response) => statuses.push(response.status));
  return { analytics, statuses };
}

/** A request as an SDK of our own making would send it: Basic auth with the write key as user name. */
function postSegment(stack: TestStack, route: string, body: unknown) {
  return stack
    .client('ingest', '')
    .post(`/segment/v1/${route}`, body, { authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}` });
}

// Issue #15: an app already instrumented with Segment's SDK feeds Nudge unchanged.
describe('the Segment-compatible ingest, driven by @segment/analytics-node', () => {
  let stack: TestStack;

  const decisionsOf = async (userId: string, campaignId: string) =>
    ((await stack.client('rules').get(`/v1/users/${userId}/decisions`)).body.items as { campaignId: string; outcome: string }[]).filter(
      (d) => d.campaignId === campaignId,
    );
  const deliveredTo = (userId: string, campaignId: string) =>
    eventually(
      async () => {
        const { body } = await stack.client('dispatch').get(`/v1/messages?userId=${userId}&campaignId=${campaignId}`);
        return body.items.find((m: { status: string }) => m.status === 'delivered');
      },
      { what: `a delivered ${campaignId} message for ${userId}`, timeoutMs: 30_000 },
    );

  beforeAll(async () => {
    // The repo's config/: the example campaign triggered by `Application Opened` and the settings' consent categories.
    stack = await startNudge({
      label: 'segment',
      configDir: path.join(__dirname, '..', 'config'),
      env: { NUDGE_API_KEY: ADMIN_KEY, NUDGE_INGEST_KEY: WRITE_KEY },
    });
    const order = aCampaign('order-confirmation')
      .triggeredBy('Order Completed')
      .withBody('Thanks {{ profile.attributes.firstName }}, order {{ event.properties.orderId }} is confirmed')
      .build();
    const pricing = aCampaign('pricing-follow-up')
      .triggeredBy('page_viewed')
      .withCondition('$.properties.name', 'equal', 'Pricing')
      .withBody('Questions about our prices, {{ profile.attributes.firstName | default: "there" }}?')
      .build();
    // A visitor's trial: a wait, then a message — still pending when the visitor identifies.
    const trial = {
      id: 'trial-follow-up',
      name: 'Trial follow-up',
      trigger: { event: 'Trial Started' },
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT8S' },
        { id: 'nudge', type: 'message', message: { channel: 'sms', body: 'How is the trial going, {{ profile.attributes.firstName }}?' } },
      ],
    };
    for (const campaign of [order, pricing, trial]) {
      expect((await stack.client('rules').put(`/v1/campaigns/${campaign.id}`, { ...campaign, category: 'transactional' })).status).toBe(
        200,
      );
    }
  });

  afterAll(() => stack?.stop());

  it('identify with a phone, then track: the campaign sends the SMS to the number in E.164', async () => {
    const { analytics, statuses } = segmentClient(stack);
    analytics.identify({
      userId: 'ana',
      traits: { firstName: 'Ana', phone: '600 000 001', address: { country: 'ES' } },
      context: { timezone: 'Europe/Madrid', locale: 'es-ES' },
    });
    analytics.track({ userId: 'ana', event: 'Order Completed', properties: { orderId: 'o-17', total: 42 } });
    await analytics.closeAndFlush();
    expect(statuses).toEqual([200]);

    expect(await deliveredTo('ana', 'order-confirmation')).toMatchObject({
      channel: 'sms',
      to: '+34600000001',
      body: 'Thanks Ana, order o-17 is confirmed',
    });
    const { body: profile } = await stack.client('ingest').get('/v1/users/ana');
    expect(profile).toMatchObject({
      attributes: { firstName: 'Ana' },
      timezone: 'Europe/Madrid',
      locale: 'es-ES',
      country: 'ES',
      channels: { sms: { address: '+34600000001', consent: { transactional: true } } },
    });
    expect(profile.channels.sms.consent.marketing).toBeUndefined();
  });

  it('page becomes page_viewed and triggers its campaign', async () => {
    const { analytics, statuses } = segmentClient(stack);
    analytics.page({ userId: 'ana', name: 'Pricing', properties: { url: 'https://shop.example/pricing' } });
    await analytics.closeAndFlush();
    expect(statuses).toEqual([200]);
    expect(await deliveredTo('ana', 'pricing-follow-up')).toMatchObject({ body: 'Questions about our prices, Ana?' });
  });

  it("Application Opened triggers the example campaign of config/, with marketing consent from Segment's consent object", async () => {
    const { analytics } = segmentClient(stack);
    analytics.identify({
      userId: 'bea',
      traits: { firstName: 'Bea', phone: '+34 600 000 002' },
      context: {
        ip: '203.0.113.7',
        userAgent: 'ShopApp/3.2 (iPhone)',
        consent: { categoryPreferences: { Advertising: true, Analytics: false } },
      },
    });
    analytics.track({ userId: 'bea', event: 'Application Opened', properties: { from_background: false } });
    await analytics.closeAndFlush();

    expect(await deliveredTo('bea', 'app-open-welcome-back')).toMatchObject({
      to: '+34600000002',
      body: expect.stringContaining('Welcome back, Bea!'),
    });
    const { body: consent } = await stack.client('ingest').get('/v1/users/bea/consent');
    expect(consent.changes).toContainEqual(
      expect.objectContaining({
        channel: 'sms',
        category: 'marketing',
        value: true,
        source: 'segment',
        ip: '203.0.113.7',
        userAgent: 'ShopApp/3.2 (iPhone)',
      }),
    );
  });

  it("alias merges an anonymous visitor's pending journey into the known user, who gets its message at their phone", async () => {
    const visitor = segmentClient(stack);
    visitor.analytics.track({ anonymousId: 'visitor-trial-1', event: 'Trial Started', properties: { plan: 'pro' } });
    await visitor.analytics.closeAndFlush();
    await eventually(
      async () => {
        const { body } = await stack.client('rules').get('/v1/users/visitor-trial-1/journeys');
        return body.items[0]?.stepId === 'pause' && body.items[0]?.status === 'active' ? true : undefined;
      },
      { what: "the anonymous visitor's journey waiting at its pause" },
    );

    // The visitor signs up: the app identifies the new user and aliases the anonymous id to it, as Segment's docs say.
    const signedUp = segmentClient(stack);
    signedUp.analytics.identify({ userId: 'cai', traits: { firstName: 'Cai', phone: '+34 600 000 003' } });
    signedUp.analytics.alias({ userId: 'cai', previousId: 'visitor-trial-1' });
    await signedUp.analytics.closeAndFlush();
    expect(signedUp.statuses).toEqual([200]);

    expect(await deliveredTo('cai', 'trial-follow-up')).toMatchObject({ to: '+34600000003', body: 'How is the trial going, Cai?' });
    expect((await stack.client('dispatch').get('/v1/messages?userId=visitor-trial-1')).body.items).toEqual([]);
    expect((await stack.client('ingest').get('/v1/users/visitor-trial-1')).status).toBe(404);
  });

  it("group adds the group to the profile's groups list, usable in conditions", async () => {
    expect((await postSegment(stack, 'group', { userId: 'ana', groupId: 'acme', traits: { plan: 'pro' } })).status).toBe(200);
    expect((await postSegment(stack, 'batch', { batch: [{ type: 'group', userId: 'ana', groupId: 'globex' }] })).status).toBe(200);
    const { body: profile } = await stack.client('ingest').get('/v1/users/ana');
    expect(profile.attributes).toMatchObject({ groups: ['acme', 'globex'], groupTraits: { acme: { plan: 'pro' } } });
  });

  it('takes what analytics.js sends: text/plain to the one-letter path, the write key in the body, readable from any origin', async () => {
    const send = (letter: string, message: object) =>
      fetch(`${stack.url('ingest')}/segment/v1/${letter}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: 'https://shop.example' },
        body: JSON.stringify({ writeKey: WRITE_KEY, sentAt: new Date().toISOString(), ...message }),
      });
    const page = await send('p', { type: 'page', anonymousId: 'visitor-9', name: 'Pricing', properties: { path: '/pricing' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('access-control-allow-origin')).toBe('*');
    expect(await page.json()).toEqual({ success: true });
    await eventually(async () => ((await decisionsOf('visitor-9', 'pricing-follow-up')).length > 0 ? true : undefined), {
      what: "the anonymous visitor's page_viewed decision",
    });
    const wrong = await send('t', { type: 'track', anonymousId: 'visitor-9', event: 'x', writeKey: 'wrong' });
    expect(wrong.status).toBe(401);
  });

  it('answers a wrong write key 401, to the SDK and to a plain request', async () => {
    const { analytics, statuses } = segmentClient(stack, 'not-the-write-key');
    analytics.track({ userId: 'ana', event: 'Order Completed' });
    await analytics.closeAndFlush();
    expect(statuses).toEqual([401]);
    const wrong = await stack
      .client('ingest', '')
      .post('/segment/v1/track', { userId: 'ana', event: 'x' }, { authorization: `Basic ${Buffer.from('nope:').toString('base64')}` });
    expect(wrong.status).toBe(401);
  });

  it('refuses a batch with one bad message with a 400 naming batch[3].event, and publishes none of it', async () => {
    const track = (i: number) => ({
      type: 'track',
      userId: 'cleo',
      event: 'Order Completed',
      messageId: `cleo-${i}`,
      properties: { orderId: `o-${i}` },
    });
    const batch = [track(0), track(1), track(2), { ...track(3), event: undefined }, track(4)];
    const refused = await postSegment(stack, 'batch', { batch, writeKey: WRITE_KEY, sentAt: new Date().toISOString() });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ path: 'batch[3].event', message: expect.any(String) }]);

    // A later event of the same user travels the same partition: once it is decided, any published earlier would have been too.
    expect((await postSegment(stack, 'page', { userId: 'cleo', name: 'Pricing' })).body).toEqual({ success: true });
    await eventually(async () => ((await decisionsOf('cleo', 'pricing-follow-up')).length > 0 ? true : undefined), {
      what: "cleo's marker",
    });
    expect(await decisionsOf('cleo', 'order-confirmation')).toEqual([]);
  });

  it('decides a messageId sent twice once', async () => {
    const message = { userId: 'dani', event: 'Order Completed', messageId: 'dani-order-1', properties: { orderId: 'o-9' } };
    expect((await postSegment(stack, 'track', message)).status).toBe(200);
    expect((await postSegment(stack, 'batch', { batch: [{ ...message, type: 'track' }] })).status).toBe(200);

    expect((await postSegment(stack, 'page', { userId: 'dani', name: 'Pricing' })).status).toBe(200);
    await eventually(async () => ((await decisionsOf('dani', 'pricing-follow-up')).length > 0 ? true : undefined), {
      what: "dani's marker",
    });
    expect(await decisionsOf('dani', 'order-confirmation')).toHaveLength(1);
  });
});
