import { aTwilioCallback } from '../../testing/fake-twilio-api';
import { TwilioWebhooks } from './twilio.webhooks';

const TOKEN = 'f3c2d1b0a9e8f7d6c5b4a3928170f6e5';
const STATUS_URL = 'https://nudge.example/v1/providers/twilio/status';
const INBOUND_URL = 'https://nudge.example/v1/providers/twilio/inbound';
const SID = 'SM00000000000000000000000000000001';
const webhooks = new TwilioWebhooks({ authToken: TOKEN });

const statusCallback = (params: Record<string, string>, url = STATUS_URL) =>
  aTwilioCallback(TOKEN, url, {
    AccountSid: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    MessageSid: SID,
    SmsSid: SID,
    To: '+34600000001',
    From: '+15005550006',
    ApiVersion: '2010-04-01',
    ...params,
  });

describe('TwilioWebhooks', () => {
  it('accepts a callback signed with the Auth Token over the URL and sorted parameters', () => {
    expect(webhooks.verify(statusCallback({ MessageStatus: 'delivered', SmsStatus: 'delivered' }))).toBe(true);
  });

  it('refuses a callback whose parameters were changed after signing', () => {
    const signed = statusCallback({ MessageStatus: 'failed', SmsStatus: 'failed' });
    const tampered = Buffer.from(signed.rawBody.toString().replace('failed', 'delivered'));
    expect(webhooks.verify({ ...signed, rawBody: tampered })).toBe(false);
  });

  it('refuses a callback signed for another URL, with another token, or not signed at all', () => {
    const signed = statusCallback({ MessageStatus: 'delivered' });
    expect(webhooks.verify({ ...signed, url: 'https://evil.example/v1/providers/twilio/status' })).toBe(false);
    expect(webhooks.verify(aTwilioCallback('another-token', STATUS_URL, { MessageSid: SID, MessageStatus: 'delivered' }))).toBe(false);
    expect(webhooks.verify({ ...signed, headers: {} })).toBe(false);
  });

  it.each([
    ['sent', { status: 'sent' }],
    ['delivered', { status: 'delivered' }],
    ['read', { status: 'read' }],
    ['undelivered', { status: 'failed', reason: 'Twilio reported undelivered (error 30003)' }],
    ['failed', { status: 'failed', reason: 'Twilio reported failed (error 30003)' }],
    ['canceled', { status: 'failed', reason: 'Twilio reported canceled (error 30003)' }],
  ])('maps MessageStatus %s to %j', (messageStatus, report) => {
    const params = { MessageStatus: messageStatus, SmsStatus: messageStatus, ErrorCode: '30003' };
    const expected =
      messageStatus === 'undelivered' || messageStatus === 'failed' || messageStatus === 'canceled' ? report : { status: report.status };
    expect(webhooks.parse(statusCallback(params))).toEqual({ statuses: [{ providerMessageId: SID, ...expected }], inbound: [] });
  });

  it.each(['queued', 'accepted', 'scheduled', 'sending'])('reports nothing for %s, which comes before sent', (messageStatus) => {
    expect(webhooks.parse(statusCallback({ MessageStatus: messageStatus }))).toEqual({ statuses: [], inbound: [] });
  });

  it('a failure without an ErrorCode still says what Twilio reported', () => {
    expect(webhooks.parse(statusCallback({ MessageStatus: 'failed' })).statuses).toEqual([
      { providerMessageId: SID, status: 'failed', reason: 'Twilio reported failed' },
    ]);
  });

  it('an RCS message delivered over RCS reports plain delivered', () => {
    const callback = statusCallback({ MessageStatus: 'delivered', From: 'rcs:acme_agent' }, `${STATUS_URL}?channel=rcs`);
    expect(webhooks.verify(callback)).toBe(true);
    expect(webhooks.parse(callback).statuses).toEqual([{ providerMessageId: SID, status: 'delivered' }]);
  });

  it('an RCS message Twilio fell back to SMS for (From is no rcs: address) says so in its reason', () => {
    const callback = statusCallback({ MessageStatus: 'delivered', From: '+15005550006' }, `${STATUS_URL}?channel=rcs`);
    expect(webhooks.parse(callback).statuses).toEqual([
      { providerMessageId: SID, status: 'delivered', reason: 'Twilio fell back to SMS: the handset cannot receive RCS' },
    ]);
  });

  it('an SMS message says nothing of fallback', () => {
    expect(webhooks.parse(statusCallback({ MessageStatus: 'delivered', From: '+15005550006' })).statuses).toEqual([
      { providerMessageId: SID, status: 'delivered' },
    ]);
  });

  it('maps an incoming SMS to an inbound report', () => {
    const callback = aTwilioCallback(TOKEN, INBOUND_URL, {
      MessageSid: 'SM99',
      SmsStatus: 'received',
      From: '+34600000001',
      To: '+15005550006',
      Body: 'STOP',
      NumMedia: '0',
    });
    expect(webhooks.verify(callback)).toBe(true);
    expect(webhooks.parse(callback)).toEqual({
      statuses: [],
      inbound: [{ channel: 'sms', from: '+34600000001', text: 'STOP', providerMessageId: 'SM99' }],
    });
  });

  it('maps an incoming RCS message to an inbound report on rcs, from the bare number', () => {
    const callback = aTwilioCallback(TOKEN, INBOUND_URL, {
      MessageSid: 'SM98',
      SmsStatus: 'received',
      From: 'rcs:+34600000001',
      To: 'rcs:acme_agent',
      Body: 'BAJA',
    });
    expect(webhooks.parse(callback).inbound).toEqual([{ channel: 'rcs', from: '+34600000001', text: 'BAJA', providerMessageId: 'SM98' }]);
  });
});
