import { aViberCallback } from '../../testing/fake-viber-bot-api';
import { ViberWebhooks } from './viber.webhooks';

const TOKEN = '445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9';
const webhooks = new ViberWebhooks({ token: TOKEN, channel: 'viber' });
const callback = (json: string) => aViberCallback(TOKEN, json);

describe('ViberWebhooks', () => {
  const delivered =
    '{"event":"delivered","timestamp":1457764197627,"chat_hostname":"SN-CHAT-05_","message_token":4912661846655238145,"user_id":"01234567890A="}';

  it('accepts a callback signed with the bot token', () => {
    expect(webhooks.verify(callback(delivered))).toBe(true);
  });

  it('refuses a callback whose body was changed after signing', () => {
    const signed = callback(delivered);
    expect(webhooks.verify({ ...signed, rawBody: Buffer.from(delivered.replace('delivered', 'seen')) })).toBe(false);
  });

  it('refuses a callback signed with another key, or not signed at all', () => {
    expect(webhooks.verify(aViberCallback('another-token', delivered))).toBe(false);
    expect(webhooks.verify({ ...callback(delivered), headers: {} })).toBe(false);
  });

  it.each([
    ['delivered', 'delivered'],
    ['seen', 'read'],
  ])('maps %s to %s, keyed by the exact 64-bit message_token', (event, status) => {
    const json = `{"event":"${event}","timestamp":1457764197627,"message_token":4912661846655238145,"user_id":"01234567890A="}`;
    expect(webhooks.parse(callback(json))).toEqual({
      statuses: [{ providerMessageId: '4912661846655238145', status, at: '2016-03-12T06:29:57.627Z' }],
      inbound: [],
    });
  });

  it('maps failed to failed with Viber description as the reason', () => {
    const json =
      '{"event":"failed","timestamp":1457764197627,"message_token":4912661846655238145,"user_id":"01234567890A=","desc":"failure description"}';
    expect(webhooks.parse(callback(json)).statuses).toEqual([
      { providerMessageId: '4912661846655238145', status: 'failed', at: '2016-03-12T06:29:57.627Z', reason: 'failure description' },
    ]);
  });

  it('maps a text message to an inbound report from the sender id', () => {
    const json =
      '{"event":"message","timestamp":1457764197627,"message_token":4912661846655238145,"sender":{"id":"01234567890A=","name":"John McClane","api_version":1},"message":{"type":"text","text":"STOP"}}';
    expect(webhooks.parse(callback(json))).toEqual({
      statuses: [],
      inbound: [
        { channel: 'viber', from: '01234567890A=', text: 'STOP', at: '2016-03-12T06:29:57.627Z', providerMessageId: '4912661846655238145' },
      ],
    });
  });

  it('ignores conversation and set-up events', () => {
    for (const json of [
      '{"event":"conversation_started","timestamp":1457764197627,"type":"open","user":{"id":"01234567890A="},"subscribed":false,"message_token":4912661846655238145}',
      '{"event":"webhook","timestamp":1457764197627,"chat_hostname":"SN-219_","message_token":4912661846655238145}',
    ]) {
      expect(webhooks.parse(callback(json))).toEqual({ statuses: [], inbound: [] });
    }
  });
});

describe('ViberWebhooks: subscription changes', () => {
  it('maps unsubscribed to a channel-side opt-out of the user id', () => {
    const json =
      '{"event":"unsubscribed","timestamp":1457764197627,"chat_hostname":"SN-CHAT-05_","user_id":"01234567890A=","message_token":4912661846655238145}';
    expect(webhooks.parse(callback(json))).toEqual({
      statuses: [],
      inbound: [],
      optOuts: [{ channel: 'viber', from: '01234567890A=', suppressed: true, event: 'viber:unsubscribed', at: '2016-03-12T06:29:57.627Z' }],
    });
  });

  it('maps subscribed to lifting it', () => {
    const json =
      '{"event":"subscribed","timestamp":1457764197627,"chat_hostname":"SN-CHAT-05_","user":{"id":"01234567890A=","name":"John McClane","api_version":1},"message_token":4912661846655238145}';
    expect(webhooks.parse(callback(json)).optOuts).toEqual([
      { channel: 'viber', from: '01234567890A=', suppressed: false, event: 'viber:subscribed', at: '2016-03-12T06:29:57.627Z' },
    ]);
  });
});

describe('ViberWebhooks, subscribe widget deep links', () => {
  it('maps conversation_started with a context to a subscription of the user with that code', () => {
    const json =
      '{"event":"conversation_started","timestamp":1457764197627,"type":"open","context":"K3P9ZQ4M7TXW2HRB","user":{"id":"01234567890A="},"subscribed":false,"message_token":4912661846655238145}';
    expect(webhooks.parse(callback(json))).toEqual({
      statuses: [],
      inbound: [],
      subscriptions: [
        {
          channel: 'viber',
          from: '01234567890A=',
          code: 'K3P9ZQ4M7TXW2HRB',
          event: 'viber:conversation_started',
          at: '2016-03-12T06:29:57.627Z',
        },
      ],
    });
  });
});
