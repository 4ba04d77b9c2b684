import type { WebhookRequest } from '../../webhooks';
import { VkWebhooks } from './vk.webhooks';

const webhooks = new VkWebhooks({ secret: 'callback-secret', confirmationCode: 'a1b2c3d4', groupId: 214167102, channel: 'vk' });

const aCallback = (body: object): WebhookRequest => ({
  url: 'https://nudge.example/v1/providers/vk/inbound',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  rawBody: Buffer.from(JSON.stringify(body)),
  body,
  query: {},
});

const messageNew = {
  group_id: 214167102,
  type: 'message_new',
  event_id: 'da1b15e9f6d0c3c8a0c937e048cdd3e2b43794d0',
  v: '5.199',
  secret: 'callback-secret',
  object: {
    message: { date: 1764000000, from_id: 612444319, id: 3581, out: 0, peer_id: 612444319, text: 'STOP', conversation_message_id: 2169 },
    client_info: { keyboard: true },
  },
};

describe('VkWebhooks', () => {
  it('accepts a callback carrying the secret key', () => {
    expect(webhooks.verify(aCallback(messageNew))).toBe(true);
  });

  it('refuses a callback with another secret, without one, or for another community', () => {
    expect(webhooks.verify(aCallback({ ...messageNew, secret: 'guess' }))).toBe(false);
    const { secret: _secret, ...unsigned } = messageNew;
    expect(webhooks.verify(aCallback(unsigned))).toBe(false);
    expect(webhooks.verify(aCallback({ ...messageNew, group_id: 1 }))).toBe(false);
  });

  it('answers a confirmation callback with the confirmation code', () => {
    expect(webhooks.handshake(aCallback({ type: 'confirmation', group_id: 214167102, secret: 'callback-secret' }))).toBe('a1b2c3d4');
  });

  it('gives the confirmation code to no one without the secret key, and to no other callback', () => {
    expect(webhooks.handshake(aCallback({ type: 'confirmation', group_id: 214167102, secret: 'guess' }))).toBeNull();
    expect(webhooks.handshake(aCallback({ type: 'confirmation', group_id: 214167102 }))).toBeNull();
    expect(webhooks.handshake(aCallback(messageNew))).toBeNull();
  });

  it('maps message_new to an inbound report from the sender id', () => {
    expect(webhooks.parse(aCallback(messageNew))).toEqual({
      statuses: [],
      inbound: [{ channel: 'vk', from: '612444319', text: 'STOP', at: '2025-11-24T16:00:00.000Z', providerMessageId: '3581' }],
    });
  });

  it('ignores message_allow, message_deny and our own message_reply', () => {
    for (const type of ['message_allow', 'message_deny', 'message_reply']) {
      expect(webhooks.parse(aCallback({ ...messageNew, type, object: { user_id: 612444319, key: 'x' } }))).toEqual({
        statuses: [],
        inbound: [],
      });
    }
  });
});
