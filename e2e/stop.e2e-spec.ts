import { DATA_SOURCE } from '@nudge/service-runtime';
import { eventually, readTopic, type ReadRecord, type TestStack } from '@nudge/testing';
import type { DataSource } from 'typeorm';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

interface Decision {
  triggerEventId: string;
  outcome: string;
  reason: string;
}

interface Message {
  id: string;
  to: string;
  body: string;
  status: string;
  triggerEventId: string;
}

// A recipient's reply on the channel; STOP and START set the opt-out of the address they come from (SPEC §4, §7, §9).
describe('inbound replies, STOP and START', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'stop' });
    const campaign = aCampaign('promo').triggeredBy('promo_seen').withBody('Hi {{ profile.attributes.firstName }}, 20% off today').build();
    expect((await stack.client('rules').put('/v1/campaigns/promo', campaign)).status).toBe(200);
  });

  afterAll(() => stack?.stop());

  const ingest = () => stack.client('ingest');
  const dispatch = () => stack.client('dispatch');
  const inbound = (body: Record<string, string>) => dispatch().post('/v1/providers/sandbox/inbound', { channel: 'sms', ...body });

  async function deliveredPromo(userId: string, eventId: string) {
    await ingest().post('/v1/events', { userId, name: 'promo_seen', eventId });
    return eventually(
      async () => {
        const { body } = await dispatch().get(`/v1/messages?userId=${userId}&campaignId=promo`);
        return body.items.find((m: { triggerEventId: string; status: string }) => m.triggerEventId === eventId && m.status === 'delivered');
      },
      { what: `the promo for ${userId} delivered` },
    );
  }

  /** The decision of the promo `eventId` triggers for `userId`. */
  async function promoDecision(userId: string, eventId: string): Promise<Decision> {
    await ingest().post('/v1/events', { userId, name: 'promo_seen', eventId });
    return eventually(
      async () => {
        const { body } = await stack.client('rules').get(`/v1/users/${userId}/decisions`);
        return body.items.find((d: Decision) => d.triggerEventId === eventId);
      },
      { what: `the decision of ${eventId} for ${userId}` },
    );
  }

  /** The STOP/START confirmations sent to `phone`, once `count` of them are sent. */
  async function confirmationsTo(phone: string, count: number): Promise<Message[]> {
    return eventually(
      async () => {
        const { body } = await dispatch().get('/v1/messages?campaignId=keyword-reply');
        const sent = body.items.filter((m: Message) => m.to === phone && ['sent', 'delivered'].includes(m.status));
        return sent.length >= count ? sent : undefined;
      },
      { what: `${count} confirmation(s) sent to ${phone}` },
    );
  }

  async function repliesTo(messageId: string): Promise<ReadRecord[]> {
    const isReply = (e: ReadRecord) => e.value?.name === 'message_replied' && e.value?.properties?.messageId === messageId;
    const events = await readTopic(stack.brokers, stack.topics.events, { until: (all) => all.some(isReply), timeoutMs: 20_000 });
    return events.filter(isReply);
  }

  it('" stop " opts the number out on SMS, is published as a reply, and the next marketing trigger is no_consent naming the opt-out', async () => {
    await ingest().put('/v1/users/st-1', aReachableProfile('Sara', '+34600000301'));
    const message = await deliveredPromo('st-1', 'ps-1');

    const reply = await inbound({ from: '+34600000301', text: ' stop ' });
    expect(reply).toMatchObject({ status: 200, body: { unsubscribed: true, repliedTo: { id: message.id, status: 'replied' } } });

    const { body: suppression } = await dispatch().get('/v1/suppressions?channel=sms&address=%2B34%20600%20000%20301');
    expect(suppression).toMatchObject({
      channel: 'sms',
      address: '+34600000301',
      suppressed: true,
      keyword: 'STOP',
      source: 'inbound:sandbox',
    });
    // The profile's consent is left as it was: the address's opt-out is the one truth, and START lifts it.
    const { body: profile } = await ingest().get('/v1/users/st-1');
    expect(profile.channels.sms.consent.marketing).toBe(true);

    const [replied] = await repliesTo(message.id);
    expect(replied).toMatchObject({
      key: 'st-1',
      value: { userId: 'st-1', properties: { messageId: message.id, campaignId: 'promo', channel: 'sms', text: ' stop ' } },
    });

    const decision = await promoDecision('st-1', 'ps-2');
    expect(decision.outcome).toBe('no_consent');
    expect(decision.reason).toBe(`sms address +34600000301 opted out of marketing by STOP on ${suppression.changedAt} (inbound:sandbox)`);
  });

  it('any other reply is published with its text and opts nothing out', async () => {
    await ingest().put('/v1/users/st-2', aReachableProfile('Tom', '+34600000302'));
    const message = await deliveredPromo('st-2', 'ps-3');

    const reply = await inbound({ from: '+34 600 000 302', text: 'Stop sending me the blue ones' });
    expect(reply).toMatchObject({ status: 200, body: { unsubscribed: false, resubscribed: false, repliedTo: { id: message.id } } });

    const [replied] = await repliesTo(message.id);
    expect(replied?.value.properties.text).toBe('Stop sending me the blue ones');
    expect((await dispatch().get('/v1/suppressions?channel=sms&address=%2B34600000302')).body).toMatchObject({
      suppressed: false,
      keyword: null,
    });
  });

  it('a STOP from a number never messaged stops every profile holding it, now and later; START restores; each is confirmed once', async () => {
    const phone = '+34600000399';
    await ingest().put('/v1/users/st-3', aReachableProfile('Ana', phone));
    // The same number without its country code, read in the profile's country (ES).
    await ingest().put('/v1/users/st-4', aReachableProfile('Bea', '600 000 399'));

    const stop = await inbound({ from: phone, text: 'Baja', providerMessageId: 'sbx-in-1' });
    expect(stop).toMatchObject({ status: 200, body: { repliedTo: null, unsubscribed: true, duplicate: false } });
    const recorded = await stack
      .app('dispatch')
      .get<symbol, DataSource>(DATA_SOURCE)
      .query(`SELECT provider, channel, user_id, message_id, text FROM inbound_messages WHERE from_address = $1`, [phone]);
    expect(recorded).toEqual([{ provider: 'sandbox', channel: 'sms', user_id: null, message_id: null, text: 'Baja' }]);

    // The provider delivers the same webhook again: nothing is done twice.
    const again = await inbound({ from: phone, text: 'Baja', providerMessageId: 'sbx-in-1' });
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });

    const [stopConfirmation] = await confirmationsTo(phone, 1);
    expect(stopConfirmation?.body).toContain('Reply START');

    for (const userId of ['st-3', 'st-4']) {
      const decision = await promoDecision(userId, `ps-${userId}-1`);
      expect(decision).toMatchObject({
        outcome: 'no_consent',
        reason: expect.stringContaining(`sms address ${phone} opted out of marketing by BAJA`),
      });
    }
    await ingest().put('/v1/users/st-5', aReachableProfile('Cai', phone));
    expect(await promoDecision('st-5', 'ps-st-5-1')).toMatchObject({ outcome: 'no_consent' });

    const start = await inbound({ from: phone, text: 'START', providerMessageId: 'sbx-in-2' });
    expect(start).toMatchObject({ status: 200, body: { resubscribed: true, unsubscribed: false } });
    expect((await dispatch().get(`/v1/suppressions?channel=sms&address=${encodeURIComponent(phone)}`)).body).toMatchObject({
      suppressed: false,
      keyword: 'START',
    });
    for (const userId of ['st-3', 'st-4', 'st-5']) expect(await promoDecision(userId, `ps-${userId}-2`)).toMatchObject({ outcome: 'sent' });

    const confirmations = await confirmationsTo(phone, 2);
    // Once each: the redelivered STOP queued none (no third message ever comes).
    expect(confirmations.map((m) => m.body).sort()).toEqual(
      ['You are subscribed again to our marketing messages. Reply STOP to unsubscribe.', stopConfirmation?.body].sort(),
    );
    const { body: all } = await dispatch().get('/v1/messages?campaignId=keyword-reply');
    expect(all.items.filter((m: Message) => m.to === phone)).toHaveLength(2);
  });
});
