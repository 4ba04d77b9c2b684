import { eventually, type TestStack } from '@nudge/testing';
import { ActiveProviders } from '../services/dispatch/src/providers/active-providers';
import { startSmtpSink, type SmtpSink } from '../services/dispatch/test/support/smtp-sink';
import { aCampaign, startNudge } from './support/nudge-stack';

const PUBLIC_URL = 'https://nudge.example';

// RFC 8058 on the whole stack: the marketing e-mail a campaign sends carries List-Unsubscribe;
// the mail client's one-click POST withdraws e-mail marketing consent, and rules' next
// decision for that user is no_consent.
describe('one-click unsubscribe, end to end', () => {
  let stack: TestStack;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startNudge({ label: 'one-click', env: { PUBLIC_URL, NUDGE_LINK_SECRET: 'e2e-link-secret-0123456789' } });
    const settings = { providers: { email: { provider: 'smtp', host: '127.0.0.1', port: smtp.port, from: 'Acme <news@acme.example>' } } };
    expect((await stack.client('rules').put('/v1/settings', settings)).status).toBe(200);
    const campaign = aCampaign('news').triggeredBy('news_seen').build();
    campaign.message = {
      channel: 'email',
      subject: 'Our news',
      body: 'Hi {{ profile.attributes.firstName }}. Unsubscribe: {{ unsubscribe_url }}',
    };
    expect((await stack.client('rules').put('/v1/campaigns/news', campaign)).status).toBe(200);
    await eventually(() => (stack.app('dispatch').get(ActiveProviders).current().registry.byName('smtp') ? true : undefined), {
      what: 'dispatch to send e-mail over SMTP',
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  const ingest = () => stack.client('ingest');

  it('the campaign e-mail carries List-Unsubscribe; its one-click POST withdraws consent and the next marketing trigger is no_consent', async () => {
    const profile = {
      attributes: { firstName: 'Eva' },
      timezone: 'Europe/Madrid',
      country: 'ES',
      channels: { email: { address: 'eva@example.com', consent: { marketing: true, transactional: true } } },
    };
    expect((await ingest().put('/v1/users/oc-1', profile)).status).toBe(200);
    await ingest().post('/v1/events', { userId: 'oc-1', name: 'news_seen', eventId: 'ns-1' });

    const mail = await smtp.mailTo('eva@example.com');
    const url = /^<([^>]+)>$/.exec(mail.headers.get('list-unsubscribe') ?? '')?.[1] ?? '';
    expect(url).toMatch(new RegExp(`^${PUBLIC_URL}/u/[A-Za-z0-9_.-]+$`));
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    const answer = await fetch(url.replace(PUBLIC_URL, stack.url('dispatch')), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(answer.status).toBe(200);

    const { body: stored } = await ingest().get('/v1/users/oc-1');
    expect(stored.channels.email.consent).toEqual({ marketing: false, transactional: true });
    expect(stored.channels.email.consentLog.marketing).toMatchObject({ value: false, source: 'one_click' });

    await ingest().post('/v1/events', { userId: 'oc-1', name: 'news_seen', eventId: 'ns-2' });
    const decision = await eventually(async () => {
      const { body } = await stack.client('rules').get('/v1/users/oc-1/decisions');
      return body.items.find((d: { triggerEventId: string }) => d.triggerEventId === 'ns-2');
    });
    expect(decision).toMatchObject({ campaignId: 'news', outcome: 'no_consent' });
    expect(smtp.received.filter((m) => m.rcptTo.includes('eva@example.com'))).toHaveLength(1);
  });
});
