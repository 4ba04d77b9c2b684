import { DATA_SOURCE } from '@nudge/service-runtime';
import { eventually, readTopic, type ReadRecord, type TestStack } from '@nudge/testing';
import type { DataSource } from 'typeorm';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

// A recipient's reply on the channel: STOP withdraws marketing consent at once (SPEC §4, §7).
describe('inbound replies and STOP', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'stop' });
    const campaign = aCampaign('promo').triggeredBy('promo_seen').withBody('Hi {{ profile.attributes.firstName }}, 20% off today').build();
    expect((await stack.client('rules').put('/v1/campaigns/promo', campaign)).status).toBe(200);
  });

  afterAll(() => stack?.stop());

  const ingest = () => stack.client('ingest');

  async function deliveredPromo(userId: string, eventId: string) {
    await ingest().post('/v1/events', { userId, name: 'promo_seen', eventId });
    return eventually(
      async () => {
        const { body } = await stack.client('dispatch').get(`/v1/messages?userId=${userId}&campaignId=promo`);
        return body.items.find((m: { triggerEventId: string; status: string }) => m.triggerEventId === eventId && m.status === 'delivered');
      },
      { what: `the promo for ${userId} delivered` },
    );
  }

  async function repliesTo(messageId: string): Promise<ReadRecord[]> {
    const isReply = (e: ReadRecord) => e.value?.name === 'message_replied' && e.value?.properties?.messageId === messageId;
    const events = await readTopic(stack.brokers, stack.topics.events, { until: (all) => all.some(isReply), timeoutMs: 20_000 });
    return events.filter(isReply);
  }

  it('" stop " withdraws marketing consent on SMS with its source, is published as a reply, and the next marketing trigger is no_consent', async () => {
    await ingest().put('/v1/users/st-1', aReachableProfile('Sara', '+34600000301'));
    const message = await deliveredPromo('st-1', 'ps-1');

    const reply = await stack
      .client('dispatch')
      .post('/v1/providers/sandbox/inbound', { channel: 'sms', from: '+34600000301', text: ' stop ' });
    expect(reply).toMatchObject({ status: 200, body: { unsubscribed: true, repliedTo: { id: message.id, status: 'replied' } } });

    const { body: profile } = await ingest().get('/v1/users/st-1');
    expect(profile.channels.sms.consent).toEqual({ marketing: false, transactional: true });
    expect(profile.channels.sms.consentLog.marketing).toMatchObject({ value: false, source: 'inbound:sandbox:STOP' });
    const withdrawn = (r: ReadRecord) => r.key === 'st-1' && r.value?.channels?.sms?.consent?.marketing === false;
    const profiles = await readTopic(stack.brokers, stack.topics.profiles, { until: (all) => all.some(withdrawn), timeoutMs: 20_000 });
    expect(profiles.some(withdrawn)).toBe(true);

    const [replied] = await repliesTo(message.id);
    expect(replied).toMatchObject({
      key: 'st-1',
      value: { userId: 'st-1', properties: { messageId: message.id, campaignId: 'promo', channel: 'sms', text: ' stop ' } },
    });

    await ingest().post('/v1/events', { userId: 'st-1', name: 'promo_seen', eventId: 'ps-2' });
    const decision = await eventually(async () => {
      const { body } = await stack.client('rules').get('/v1/users/st-1/decisions');
      return body.items.find((d: { triggerEventId: string }) => d.triggerEventId === 'ps-2');
    });
    expect(decision).toMatchObject({ campaignId: 'promo', outcome: 'no_consent' });
  });

  it('any other reply is published with its text and changes no consent', async () => {
    await ingest().put('/v1/users/st-2', aReachableProfile('Tom', '+34600000302'));
    const message = await deliveredPromo('st-2', 'ps-3');

    const reply = await stack
      .client('dispatch')
      .post('/v1/providers/sandbox/inbound', { channel: 'sms', from: '+34 600 000 302', text: 'Stop sending me the blue ones' });
    expect(reply).toMatchObject({ status: 200, body: { unsubscribed: false, repliedTo: { id: message.id } } });

    const [replied] = await repliesTo(message.id);
    expect(replied?.value.properties.text).toBe('Stop sending me the blue ones');
    const { body: profile } = await ingest().get('/v1/users/st-2');
    expect(profile.channels.sms.consent.marketing).toBe(true);
    expect(profile.channels.sms.consentLog.marketing.source).not.toMatch(/^inbound:/);
  });

  it('a reply from an unknown number is recorded and changes nothing', async () => {
    const reply = await stack
      .client('dispatch')
      .post('/v1/providers/sandbox/inbound', { channel: 'sms', from: '+34600000399', text: 'STOP' });
    expect(reply).toMatchObject({ status: 200, body: { repliedTo: null, unsubscribed: false } });
    const recorded = await stack
      .app('dispatch')
      .get<symbol, DataSource>(DATA_SOURCE)
      .query(`SELECT provider, channel, user_id, message_id, text FROM inbound_messages WHERE from_address = '+34600000399'`);
    expect(recorded).toEqual([{ provider: 'sandbox', channel: 'sms', user_id: null, message_id: null, text: 'STOP' }]);
  });
});
