import { eventually, type TestStack } from '@nudge/testing';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

// Every outcome code of SPEC §6, reached through the HTTP API and explained in the log.
describe('decision outcomes on the real stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'outcomes' });
  });

  afterAll(() => stack?.stop());

  const rules = () => stack.client('rules');
  const ingest = () => stack.client('ingest');

  async function putCampaign(document: Record<string, unknown>): Promise<void> {
    const { status, body } = await rules().put(`/v1/campaigns/${document.id}`, document);
    expect({ status, body }).toMatchObject({ status: 200 });
  }

  async function decisionsOf(userId: string, campaignId: string, until: (outcomes: string[]) => boolean) {
    return eventually(
      async () => {
        const { body } = await rules().get(`/v1/users/${userId}/decisions`);
        const items = body.items.filter((d: { campaignId: string }) => d.campaignId === campaignId);
        return until(items.map((d: { outcome: string }) => d.outcome)) ? items : undefined;
      },
      { what: `decisions of ${userId} for ${campaignId}` },
    );
  }

  async function messagesOf(userId: string) {
    return (await stack.client('dispatch').get(`/v1/messages?userId=${userId}`)).body.items;
  }

  /** The user's messages once there are `count`: a `sent` decision is logged as its request is published, before dispatch stores it. */
  async function messagesOnceThere(userId: string, count: number) {
    return eventually(
      async () => {
        const items = await messagesOf(userId);
        return items.length >= count ? items : undefined;
      },
      { what: `${count} messages of ${userId}` },
    );
  }

  it('not_eligible: a second trigger inside the re-eligibility period', async () => {
    await putCampaign({ ...aCampaign('once-a-day').triggeredBy('visited').build(), reEligibility: 'P1D' });
    await ingest().put('/v1/users/ne-1', aReachableProfile('Nia', '+34600000101'));
    await ingest().post('/v1/events', { userId: 'ne-1', name: 'visited', eventId: 'v-1' });
    await decisionsOf('ne-1', 'once-a-day', (o) => o.includes('sent'));
    await ingest().post('/v1/events', { userId: 'ne-1', name: 'visited', eventId: 'v-2' });
    const items = await decisionsOf('ne-1', 'once-a-day', (o) => o.includes('not_eligible'));
    expect(items[0]).toMatchObject({ outcome: 'not_eligible', triggerEventId: 'v-2', reason: expect.stringContaining('P1D') });
    expect(await messagesOnceThere('ne-1', 1)).toHaveLength(1);
  });

  it('cancelled_exception: a purchase of the same cart cancels the reminder; another cart does not', async () => {
    await putCampaign({
      ...aCampaign('cart-exc').triggeredBy('cart_left').withDelay('PT3S').build(),
      exceptions: [{ event: 'purchase', match: { cartId: 'cartId' } }],
    });
    await ingest().put('/v1/users/ce-1', aReachableProfile('Ceci', '+34600000102'));
    await ingest().post('/v1/events', { userId: 'ce-1', name: 'cart_left', eventId: 'cl-1', properties: { cartId: 'c1' } });
    await ingest().post('/v1/events', { userId: 'ce-1', name: 'cart_left', eventId: 'cl-2', properties: { cartId: 'c2' } });
    await decisionsOf('ce-1', 'cart-exc', (o) => o.filter((x) => x === 'scheduled').length === 2);
    await ingest().post('/v1/events', { userId: 'ce-1', name: 'purchase', eventId: 'p-1', properties: { cartId: 'c1' } });
    const items = await decisionsOf('ce-1', 'cart-exc', (o) => o.includes('cancelled_exception') && o.includes('sent'));
    const cancelled = items.find((d: { outcome: string }) => d.outcome === 'cancelled_exception');
    expect(cancelled).toMatchObject({ triggerEventId: 'cl-1', reason: expect.stringContaining('p-1') });
    expect(items.find((d: { outcome: string }) => d.outcome === 'sent')).toMatchObject({ triggerEventId: 'cl-2' });
    const messages = await messagesOnceThere('ce-1', 1);
    expect(messages).toHaveLength(1);
    expect(messages[0].triggerEventId).toBe('cl-2');
  });

  it('cancelled_exception: an exception that arrives before its earlier trigger (out of order)', async () => {
    await ingest().put('/v1/users/ce-2', aReachableProfile('Cora', '+34600000103'));
    const t0 = Date.now();
    await ingest().post('/v1/events', {
      userId: 'ce-2',
      name: 'purchase',
      eventId: 'p-2',
      timestamp: new Date(t0).toISOString(),
      properties: { cartId: 'c3' },
    });
    await ingest().post('/v1/events', {
      userId: 'ce-2',
      name: 'cart_left',
      eventId: 'cl-3',
      timestamp: new Date(t0 - 1000).toISOString(),
      properties: { cartId: 'c3' },
    });
    const items = await decisionsOf('ce-2', 'cart-exc', (o) => o.length > 0);
    expect(items[0]).toMatchObject({ outcome: 'cancelled_exception', triggerEventId: 'cl-3' });
  });

  it('no_consent: consent withdrawn after scheduling stops the send; a switched-off topic too', async () => {
    await putCampaign(aCampaign('later-promo').triggeredBy('browsed').withDelay('PT2S').build());
    await ingest().put('/v1/users/nc-1', aReachableProfile('Noa', '+34600000104'));
    await ingest().post('/v1/events', { userId: 'nc-1', name: 'browsed' });
    await decisionsOf('nc-1', 'later-promo', (o) => o.includes('scheduled'));
    await ingest().put('/v1/users/nc-1', { channels: { sms: { consent: { marketing: false } } } });
    const items = await decisionsOf('nc-1', 'later-promo', (o) => o.includes('no_consent'));
    expect(items[0].reason).toContain('marketing consent');

    await putCampaign({ ...aCampaign('topic-promo').triggeredBy('browsed_topic').build(), topic: 'promotions' });
    await ingest().put('/v1/users/nc-2', { ...aReachableProfile('Nel', '+34600000105'), preferences: { topics: { promotions: false } } });
    await ingest().post('/v1/events', { userId: 'nc-2', name: 'browsed_topic' });
    const topic = await decisionsOf('nc-2', 'topic-promo', (o) => o.length > 0);
    expect(topic[0]).toMatchObject({ outcome: 'no_consent', reason: expect.stringContaining('promotions') });
    expect(await messagesOf('nc-1')).toEqual([]);
    expect(await messagesOf('nc-2')).toEqual([]);
  });

  it('no_address: the user has no address on any allowed channel', async () => {
    await putCampaign(aCampaign('sms-only').triggeredBy('pinged').build());
    await ingest().put('/v1/users/na-1', {
      attributes: { firstName: 'Nora' },
      channels: { email: { address: 'n@example.com', consent: { marketing: true } } },
    });
    await ingest().post('/v1/events', { userId: 'na-1', name: 'pinged' });
    const items = await decisionsOf('na-1', 'sms-only', (o) => o.length > 0);
    expect(items[0]).toMatchObject({ outcome: 'no_address', reason: expect.stringContaining('sms') });
  });

  it('capped: a campaign cap of 1 per day lets the first through and names itself when it refuses', async () => {
    await putCampaign({ ...aCampaign('capped-one').triggeredBy('tapped').build(), frequencyCaps: [{ max: 1, per: 'P1D' }] });
    await ingest().put('/v1/users/cp-1', aReachableProfile('Cata', '+34600000106'));
    await ingest().post('/v1/events/batch', {
      events: [
        { userId: 'cp-1', name: 'tapped', eventId: 'tp-1' },
        { userId: 'cp-1', name: 'tapped', eventId: 'tp-2' },
      ],
    });
    const items = await decisionsOf('cp-1', 'capped-one', (o) => o.includes('sent') && o.includes('capped'));
    expect(items.find((d: { outcome: string }) => d.outcome === 'capped').reason).toMatch(/campaign cap 1 per P1D/);
    expect(await messagesOnceThere('cp-1', 1)).toHaveLength(1);
  });

  it('deferred_window and dropped_window: outside the time window in the recipient zone', async () => {
    const hhmm = (hoursFromNow: number) => new Date(Date.now() + hoursFromNow * 3_600_000).toISOString().slice(11, 16);
    const window = { start: hhmm(2), end: hhmm(3), timezone: 'recipient' };
    await putCampaign({ ...aCampaign('windowed').triggeredBy('looked').build(), timeWindow: { ...window, outside: 'defer' } });
    await putCampaign({ ...aCampaign('windowed-drop').triggeredBy('looked').build(), timeWindow: { ...window, outside: 'drop' } });
    await ingest().put('/v1/users/tw-1', { ...aReachableProfile('Tina', '+34600000107'), timezone: 'UTC' });
    await ingest().post('/v1/events', { userId: 'tw-1', name: 'looked' });

    const [deferred] = await decisionsOf('tw-1', 'windowed', (o) => o.includes('deferred_window'));
    expect(deferred.scheduledFor.slice(11, 16)).toBe(window.start);
    expect(new Date(deferred.scheduledFor).getTime()).toBeGreaterThan(Date.now());
    expect(deferred.reason).toContain('window');
    const [dropped] = await decisionsOf('tw-1', 'windowed-drop', (o) => o.length > 0);
    expect(dropped).toMatchObject({ outcome: 'dropped_window', scheduledFor: null });
    expect(await messagesOf('tw-1')).toEqual([]);
  });

  it('settings are validated with paths and nothing is saved on error', async () => {
    const bad = await rules().put('/v1/settings', {
      countryRules: { FR: { hours: { 'mon-sat': '25:00-20:00' } } },
      frequencyCaps: [{ max: 1, per: 'soon' }],
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toContain('frequencyCaps[0].per');
    const countryOnly = await rules().put('/v1/settings', { countryRules: { FR: { hours: { 'mon-sat': '25:00-20:00' } } } });
    expect(countryOnly.status).toBe(400);
    expect(countryOnly.body.error.details[0].path).toMatch(/^countryRules\.FR\.hours/);
    expect((await rules().get('/v1/settings')).body.version).toBe(0);
  });

  it('stats count the outcomes of a campaign', async () => {
    const { body } = await rules().get('/v1/campaigns/capped-one/stats');
    expect(body.outcomes).toMatchObject({ sent: 1, capped: 1, no_consent: 0 });
  });
});
