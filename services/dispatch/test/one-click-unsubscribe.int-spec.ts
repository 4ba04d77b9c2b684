import type { Profile, SendRequest } from '@nudge/contracts';
import { ProfileStore } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import { readTopic, type ReadRecord } from '@nudge/testing';
import type { DataSource } from 'typeorm';
import { signRecipientToken } from '../src/recipient-links/recipient-link-token';
import {
  aSendRequest,
  messageReaching,
  publishSendRequests,
  saveSettings,
  startDispatch,
  type DispatchHarness,
} from './support/dispatch-stack';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './support/smtp-sink';

const PUBLIC_URL = 'https://nudge.example';
const LINK_SECRET = 'one-click-secret-0123456789';
const LINK = new RegExp(`^${PUBLIC_URL}/u/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`);

// RFC 8058 one-click unsubscribe: a marketing e-mail's List-Unsubscribe link, POSTed without
// any login, withdraws the user's marketing consent on e-mail; a GET changes nothing.
describe('one-click unsubscribe', () => {
  let dispatch: DispatchHarness;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    dispatch = await startDispatch('dispatch-unsubscribe', {
      PUBLIC_URL,
      NUDGE_API_KEY: 'unsubscribe-test-key',
      NUDGE_LINK_SECRET: LINK_SECRET,
    });
    await saveSettings(dispatch, {
      providers: {
        sms: { provider: 'sandbox' },
        email: {
          provider: 'smtp',
          host: '127.0.0.1',
          port: smtp.port,
          from: 'Acme <news@acme.example>',
          unsubscribeMailto: 'unsubscribe@acme.example',
        },
      },
    });
  });

  afterAll(async () => {
    await dispatch?.stop();
    await smtp?.close();
  });

  const profiles = () => new ProfileStore(dispatch.stack.app('dispatch').get<symbol, DataSource>(DATA_SOURCE));
  const profileOf = async (userId: string): Promise<Profile> => (await profiles().get(userId))!;
  /** A user as ingest stores one: e-mail and SMS addresses, marketing consent given through the API. */
  const storeProfile = (userId: string) =>
    profiles().merge(
      userId,
      {
        channels: {
          email: { address: `${userId}@example.com`, consent: { marketing: true, transactional: true } },
          sms: { address: '+34600000001', consent: { marketing: true, transactional: true } },
        },
      },
      { at: new Date().toISOString(), source: 'api' },
      async () => {},
    );
  const anEmail = (userId: string, triggerEventId: string, category: SendRequest['category'] = 'marketing'): SendRequest => {
    const request = aSendRequest({
      userId,
      triggerEventId,
      channel: 'email',
      to: `${userId}@example.com`,
      body: 'Hi {{ profile.attributes.firstName }}, 20% off today. Unsubscribe: {{ unsubscribe_url }}',
    });
    return { ...request, category, message: { ...request.message, subject: '20% off' } };
  };
  /** The dispatch address a public link reaches (PUBLIC_URL is the proxy in front of it). */
  const direct = (url: string) => url.replace(PUBLIC_URL, dispatch.stack.url('dispatch'));
  const oneClick = (url: string, body = 'List-Unsubscribe=One-Click') =>
    fetch(direct(url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
  const open = (url: string) => fetch(direct(url), { redirect: 'manual' });
  const oneClickUrlOf = (mail: ReceivedMail) => /^<([^>]+)>/.exec(mail.headers.get('list-unsubscribe') ?? '')?.[1] ?? '';

  it('a marketing e-mail carries both List-Unsubscribe headers; a GET changes nothing; the one-click POST withdraws e-mail marketing consent', async () => {
    await storeProfile('ana');
    await publishSendRequests(dispatch, anEmail('ana', 'e-ana'));
    const message = await messageReaching(dispatch, 'ana', 'e-ana', 'sent');
    const mail = await smtp.mailTo('ana@example.com');

    const url = oneClickUrlOf(mail);
    expect(url).toMatch(LINK);
    const token = url.slice(`${PUBLIC_URL}/u/`.length);
    expect(mail.headers.get('list-unsubscribe')).toBe(`<${url}>, <mailto:unsubscribe@acme.example?subject=unsubscribe-${token}>`);
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(message.body).toBe(`Hi Ana, 20% off today. Unsubscribe: ${url}`);

    const page = await open(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toMatch(/<form method="post">[\s\S]*<button type="submit">Unsubscribe<\/button>/);
    expect((await profileOf('ana')).channels.email?.consent.marketing).toBe(true);

    const startedAt = Date.now();
    const answer = await oneClick(url);
    expect(answer.status).toBe(200);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(await answer.text()).toMatch(/You are unsubscribed/);

    const profile = await profileOf('ana');
    expect(profile.channels.email?.consent).toEqual({ marketing: false, transactional: true });
    expect(profile.channels.email?.consentLog?.marketing).toMatchObject({ value: false, source: 'one_click' });
    expect(profile.channels.sms?.consent.marketing).toBe(true);
    const withdrawn = (r: ReadRecord) => r.key === 'ana' && r.value?.channels?.email?.consent?.marketing === false;
    const published = await readTopic(dispatch.stack.brokers, dispatch.stack.topics.profiles, { until: (all) => all.some(withdrawn) });
    expect(published.some(withdrawn)).toBe(true);
    const history = await profiles().consentHistory('ana', { limit: 10 });
    expect(history?.changes[0]).toMatchObject({ channel: 'email', category: 'marketing', value: false, source: 'one_click' });
    const event = (r: ReadRecord) => r.key === 'ana' && r.value?.name === 'consent_withdrawn';
    const events = await readTopic(dispatch.stack.brokers, dispatch.stack.topics.events, { until: (all) => all.some(event) });
    expect(events.filter(event).map((r) => r.value)).toEqual([
      expect.objectContaining({
        eventId: history?.changes[0]?.eventId,
        properties: { channel: 'email', category: 'marketing', value: false, source: 'one_click' },
      }),
    ]);

    const again = await oneClick(url);
    expect(again.status).toBe(200);
    expect((await profileOf('ana')).version).toBe(profile.version);
    expect((await profiles().consentHistory('ana', { limit: 10 }))?.changes).toHaveLength(history?.changes.length ?? -1);
  });

  it('a transactional e-mail carries no List-Unsubscribe, though its body may print the link', async () => {
    await storeProfile('bea');
    await publishSendRequests(dispatch, anEmail('bea', 'e-bea', 'transactional'));
    const message = await messageReaching(dispatch, 'bea', 'e-bea', 'sent');
    const mail = await smtp.mailTo('bea@example.com');
    expect(mail.raw).not.toMatch(/^List-Unsubscribe/im);
    expect(message.body).toMatch(new RegExp(`Unsubscribe: ${PUBLIC_URL}/u/`));
  });

  it('the page’s button unsubscribes the channel of the message that carried the link (an SMS here)', async () => {
    await storeProfile('cai');
    await publishSendRequests(
      dispatch,
      aSendRequest({ userId: 'cai', triggerEventId: 'e-cai', body: 'Stop offers: {{ unsubscribe_url }}' }),
    );
    const message = await messageReaching(dispatch, 'cai', 'e-cai', 'delivered');
    const url = message.body!.slice('Stop offers: '.length);
    expect(url).toMatch(LINK);

    expect(await (await open(url)).text()).toMatch(/marketing text messages/);
    const answer = await oneClick(url, 'confirm=unsubscribe');
    expect(answer.status).toBe(200);
    const profile = await profileOf('cai');
    expect(profile.channels.sms?.consentLog?.marketing).toMatchObject({ value: false, source: 'unsubscribe_link' });
    expect(profile.channels.email?.consent.marketing).toBe(true);
  });

  it('a tampered or expired link answers an error page naming no internals, on GET and POST, and changes nothing', async () => {
    await storeProfile('dan');
    const before = await profileOf('dan');
    const expiresAt = (offsetSeconds: number) => Math.floor(Date.now() / 1_000) + offsetSeconds;
    const valid = signRecipientToken(LINK_SECRET, { purpose: 'unsubscribe', userId: 'dan', channel: 'email', expiresAt: expiresAt(3_600) });
    const [payload, mac] = valid.split('.') as [string, string];
    const forDan = (claims: unknown[]) => Buffer.from(JSON.stringify(claims)).toString('base64url');
    const cases: [string, string, number, RegExp][] = [
      ['another user, the mac kept', `${forDan([1, 'unsubscribe', 'ana', 'email', null, expiresAt(3_600)])}.${mac}`, 400, /not valid/],
      ['a changed mac', `${payload}.${mac.slice(0, -2)}AA`, 400, /not valid/],
      [
        'another secret',
        signRecipientToken('another-secret-0123456789', {
          purpose: 'unsubscribe',
          userId: 'dan',
          channel: 'email',
          expiresAt: expiresAt(3_600),
        }),
        400,
        /not valid/,
      ],
      ['garbage', 'not-a-token', 400, /not valid/],
      [
        'expired',
        signRecipientToken(LINK_SECRET, { purpose: 'unsubscribe', userId: 'dan', channel: 'email', expiresAt: expiresAt(-1) }),
        410,
        /expired/,
      ],
    ];
    for (const [what, token, status, text] of cases) {
      for (const response of [await open(`${PUBLIC_URL}/u/${token}`), await oneClick(`${PUBLIC_URL}/u/${token}`)]) {
        const html = await response.text();
        expect({ what, status: response.status }).toEqual({ what, status });
        expect(html).toMatch(text);
        expect(html).not.toMatch(/token|signature|hmac|secret|dan|stack|error:/i);
      }
    }
    expect(await profileOf('dan')).toEqual(before);
  });
});
