import { eventually, readTopic, type ReadRecord, type TestStack } from '@nudge/testing';
import { aCampaign, startNudge } from './support/nudge-stack';

const PUBLIC_URL = 'https://nudge.example';

interface Decision {
  campaignId: string;
  triggerEventId: string;
  outcome: string;
  reason: string;
}

interface Message {
  id: string;
  campaignId: string;
  to: string;
  body: string;
  status: string;
}

// Double opt-in (issue #12 item 4): a marketing consent given as "pending" gets one
// confirmation message; nothing marketing goes out until the address answers YES (or opens the
// e-mail's link and presses its button), which confirms it with proof.
describe('double opt-in, end to end', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'double-opt-in', env: { PUBLIC_URL, NUDGE_LINK_SECRET: 'e2e-optin-secret-0123456789' } });
    const settings = {
      doubleOptIn: {
        sms: { body: 'Reply YES to get offers from ACME.' },
        email: { subject: 'Confirm your subscription', body: 'Confirm you want our offers: {{ confirm_url }}' },
      },
    };
    expect((await stack.client('rules').put('/v1/settings', settings)).status).toBe(200);
    const promo = aCampaign('promo').triggeredBy('promo_seen').withBody('Hi {{ profile.attributes.firstName }}, 20% off today').build();
    expect((await stack.client('rules').put('/v1/campaigns/promo', promo)).status).toBe(200);
  });

  afterAll(() => stack?.stop());

  const ingest = () => stack.client('ingest');
  const dispatch = () => stack.client('dispatch');
  const signUp = (userId: string, channels: Record<string, unknown>) =>
    ingest().put(`/v1/users/${userId}`, { attributes: { firstName: userId }, timezone: 'Europe/Madrid', country: 'ES', channels });

  async function messagesOf(userId: string, campaignId: string): Promise<Message[]> {
    const { body } = await dispatch().get(`/v1/messages?userId=${userId}&campaignId=${campaignId}`);
    return body.items;
  }

  /** The user's double opt-in confirmation, once the sandbox provider has taken it. */
  const confirmationOf = (userId: string) =>
    eventually(async () => (await messagesOf(userId, 'double-opt-in')).find((m) => m.status === 'delivered'), {
      what: `the double opt-in confirmation of ${userId} delivered`,
    });

  /** The decision the promo trigger `eventId` makes for `userId`. */
  async function promoDecision(userId: string, eventId: string): Promise<Decision> {
    expect((await ingest().post('/v1/events', { userId, name: 'promo_seen', eventId })).status).toBe(202);
    return eventually(
      async () => {
        const { body } = await stack.client('rules').get(`/v1/users/${userId}/decisions`);
        return body.items.find((d: Decision) => d.triggerEventId === eventId && d.campaignId === 'promo');
      },
      { what: `the promo decision of ${eventId} for ${userId}` },
    );
  }

  const consentHistory = async (userId: string) => (await ingest().get(`/v1/users/${userId}/consent`)).body.changes;

  it('pending → confirmation sent → YES → consent true with proof → marketing flows', async () => {
    expect((await signUp('doi-1', { sms: { address: '+34600000401', consent: { marketing: 'pending' } } })).status).toBe(200);

    const confirmation = await confirmationOf('doi-1');
    expect(confirmation).toMatchObject({ to: '+34600000401', body: 'Reply YES to get offers from ACME.' });
    const { body: decisions } = await stack.client('rules').get('/v1/users/doi-1/decisions');
    expect(decisions.items).toContainEqual(
      expect.objectContaining({ campaignId: 'double-opt-in', outcome: 'sent', reason: 'double opt-in confirmation of marketing on sms' }),
    );

    const blocked = await promoDecision('doi-1', 'doi-1-promo-1');
    expect(blocked).toMatchObject({
      outcome: 'no_consent',
      reason: expect.stringMatching(/^marketing consent on sms is pending double opt-in confirmation \(since /),
    });

    const yes = await dispatch().post('/v1/providers/sandbox/inbound', {
      channel: 'sms',
      from: '+34 600 000 401',
      text: 'Yes',
      providerMessageId: 'yes-1',
    });
    expect(yes).toMatchObject({ status: 200, body: { resubscribed: true, optInsConfirmed: 1 } });

    const { body: profile } = await ingest().get('/v1/users/doi-1');
    expect(profile.channels.sms.consent.marketing).toBe(true);
    const [confirmed, requested] = await consentHistory('doi-1');
    expect(confirmed).toMatchObject({
      channel: 'sms',
      category: 'marketing',
      value: true,
      source: 'double_opt_in',
      evidence: 'sms reply "Yes" from +34600000401 (inbound:sandbox, message yes-1)',
    });
    expect(requested).toMatchObject({ channel: 'sms', category: 'marketing', value: 'pending', source: 'api' });
    const isConfirmed = (r: ReadRecord) => r.key === 'doi-1' && r.value?.name === 'consent_confirmed';
    const events = await readTopic(stack.brokers, stack.topics.events, { until: (all) => all.some(isConfirmed), timeoutMs: 20_000 });
    expect(events.find(isConfirmed)?.value).toMatchObject({
      properties: { channel: 'sms', category: 'marketing', value: true, source: 'double_opt_in' },
    });

    expect(await promoDecision('doi-1', 'doi-1-promo-2')).toMatchObject({ outcome: 'sent' });
    const promo = await eventually(async () => (await messagesOf('doi-1', 'promo'))[0], { what: 'the promo sent to doi-1' });
    expect(promo).toMatchObject({ to: '+34600000401', body: 'Hi doi-1, 20% off today' });

    // The same YES redelivered, and the same sign-up sent again, change nothing and send no second confirmation.
    await dispatch().post('/v1/providers/sandbox/inbound', {
      channel: 'sms',
      from: '+34600000401',
      text: 'Yes',
      providerMessageId: 'yes-1',
    });
    await signUp('doi-1', { sms: { address: '+34600000401', consent: { marketing: 'pending' } } });
    expect((await ingest().get('/v1/users/doi-1')).body.channels.sms.consent.marketing).toBe(true);
    expect(await consentHistory('doi-1')).toHaveLength(2);
    expect(await messagesOf('doi-1', 'double-opt-in')).toHaveLength(1);
  });

  it('no YES → nothing marketing: the confirmation is all the address gets', async () => {
    expect((await signUp('doi-2', { sms: { address: '+34600000402', consent: { marketing: 'pending' } } })).status).toBe(200);
    await confirmationOf('doi-2');
    // A YES from another number confirms nothing of this one.
    const other = await dispatch().post('/v1/providers/sandbox/inbound', { channel: 'sms', from: '+34600000499', text: 'YES' });
    expect(other.body).toMatchObject({ optInsConfirmed: 0 });

    for (const eventId of ['doi-2-promo-1', 'doi-2-promo-2']) {
      expect(await promoDecision('doi-2', eventId)).toMatchObject({
        outcome: 'no_consent',
        reason: expect.stringContaining('pending double opt-in'),
      });
    }
    expect(await messagesOf('doi-2', 'promo')).toEqual([]);
    expect(await messagesOf('doi-2', 'double-opt-in')).toHaveLength(1);
    expect((await ingest().get('/v1/users/doi-2')).body.channels.sms.consent.marketing).toBe('pending');
  });

  it('a pending number replaced by another is asked again there; a YES from the old number confirms nothing', async () => {
    expect((await signUp('doi-4', { sms: { address: '+34600000404', consent: { marketing: 'pending' } } })).status).toBe(200);
    await confirmationOf('doi-4');
    expect((await signUp('doi-4', { sms: { address: '+34600000405' } })).status).toBe(200);
    const second = await eventually(
      async () => (await messagesOf('doi-4', 'double-opt-in')).find((m) => m.to === '+34600000405' && m.status === 'delivered'),
      { what: 'the confirmation to the new number' },
    );
    expect(second.body).toBe('Reply YES to get offers from ACME.');

    const old = await dispatch().post('/v1/providers/sandbox/inbound', { channel: 'sms', from: '+34600000404', text: 'YES' });
    expect(old.body).toMatchObject({ optInsConfirmed: 0 });
    expect((await ingest().get('/v1/users/doi-4')).body.channels.sms.consent.marketing).toBe('pending');
    const yes = await dispatch().post('/v1/providers/sandbox/inbound', { channel: 'sms', from: '+34600000405', text: 'YES' });
    expect(yes.body).toMatchObject({ optInsConfirmed: 1 });
    expect((await ingest().get('/v1/users/doi-4')).body.channels.sms.consent.marketing).toBe(true);
  });

  it('e-mail: the link opens a page (GET changes nothing), a tampered token is refused, the button confirms with IP and user agent', async () => {
    expect((await signUp('doi-3', { email: { address: 'doi-3@example.com', consent: { marketing: 'pending' } } })).status).toBe(200);
    const confirmation = await confirmationOf('doi-3');
    const url = /https:\/\/nudge\.example\/o\/[A-Za-z0-9_.-]+/.exec(confirmation.body)?.[0] ?? '';
    expect(url).not.toBe('');
    const direct = url.replace(PUBLIC_URL, stack.url('dispatch'));
    const pending = async () => (await ingest().get('/v1/users/doi-3')).body.channels.email.consent.marketing;

    const page = await fetch(direct);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect(await pending()).toBe('pending');

    const tampered = await fetch(`${direct.slice(0, -2)}xx`, { method: 'POST' });
    expect(tampered.status).toBe(400);
    expect(await pending()).toBe('pending');

    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': '203.0.113.9',
      'user-agent': 'Mozilla/5.0 (optin)',
    };
    const confirmed = await fetch(direct, { method: 'POST', headers, body: 'confirm=subscribe' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Thank you, you are subscribed');
    expect(await pending()).toBe(true);
    const [change] = await consentHistory('doi-3');
    expect(change).toMatchObject({
      channel: 'email',
      value: true,
      source: 'double_opt_in',
      ip: '203.0.113.9',
      userAgent: 'Mozilla/5.0 (optin)',
      evidence: `confirmation link of message ${confirmation.id}`,
    });

    const again = await fetch(direct, { method: 'POST', headers, body: 'confirm=subscribe' });
    expect(await again.text()).toContain('Nothing to confirm');
    expect(await consentHistory('doi-3')).toHaveLength(2);
  });
});
