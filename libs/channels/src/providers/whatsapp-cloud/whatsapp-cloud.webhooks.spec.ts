import { aWhatsAppHandshake, aWhatsAppNotification } from '../../testing/fake-whatsapp-cloud-api';
import { WhatsAppCloudWebhooks } from './whatsapp-cloud.webhooks';

const APP_SECRET = '6b1a2c3d4e5f60718293a4b5c6d7e8f9';
const webhooks = new WhatsAppCloudWebhooks({ appSecret: APP_SECRET, verifyToken: 'verify-me' });
const WAMID = 'wamid.HBgLMzQ2MDAwMDAwMDEVAgARGBI00000001AA==';
const status = (fields: object) => ({ statuses: [{ id: WAMID, timestamp: '1795514460', recipient_id: '34600000001', ...fields }] });

describe('WhatsAppCloudWebhooks', () => {
  describe('handshake', () => {
    it('answers the challenge when the verify token matches', () => {
      expect(
        webhooks.handshake(aWhatsAppHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' })),
      ).toBe('1158201444');
    });

    it.each([
      ['a wrong verify token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }],
      ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1' }],
      ['no verify token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
    ])('refuses %s', (_case, query) => {
      expect(webhooks.handshake(aWhatsAppHandshake(query))).toBeNull();
    });

    it('refuses every handshake when no verify token is configured', () => {
      const query = { 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' };
      expect(new WhatsAppCloudWebhooks({ appSecret: APP_SECRET }).handshake(aWhatsAppHandshake(query))).toBeNull();
    });
  });

  describe('verify', () => {
    it('accepts a notification signed with the app secret', () => {
      expect(webhooks.verify(aWhatsAppNotification(APP_SECRET, status({ status: 'delivered' })))).toBe(true);
    });

    it('refuses a notification whose body was changed after signing', () => {
      const signed = aWhatsAppNotification(APP_SECRET, status({ status: 'delivered' }));
      expect(webhooks.verify({ ...signed, rawBody: Buffer.from(signed.rawBody.toString().replace('delivered', 'read')) })).toBe(false);
    });

    it('refuses a notification signed with another secret, unsigned, or malformed', () => {
      expect(webhooks.verify(aWhatsAppNotification('another-secret', status({ status: 'read' })))).toBe(false);
      expect(webhooks.verify({ ...aWhatsAppNotification(APP_SECRET, status({ status: 'read' })), headers: {} })).toBe(false);
      expect(webhooks.verify(aWhatsAppNotification(APP_SECRET, status({ status: 'read' }), 'sha1=abc'))).toBe(false);
    });

    it('refuses every notification when no app secret is configured', () => {
      expect(new WhatsAppCloudWebhooks({}).verify(aWhatsAppNotification(APP_SECRET, status({ status: 'read' })))).toBe(false);
    });
  });

  describe('parse', () => {
    it.each([
      ['sent', 'sent'],
      ['delivered', 'delivered'],
      ['read', 'read'],
    ])('maps %s to %s, at its timestamp', (whatsappStatus, mapped) => {
      expect(webhooks.parse(aWhatsAppNotification(APP_SECRET, status({ status: whatsappStatus })))).toEqual({
        statuses: [{ providerMessageId: WAMID, status: mapped, at: '2026-11-24T10:01:00.000Z' }],
        inbound: [],
      });
    });

    it('maps failed to failed with the error title, code and details as the reason', () => {
      const failed = status({
        status: 'failed',
        errors: [
          {
            code: 131047,
            title: 'Re-engagement message',
            message: 'Re-engagement message',
            error_data: { details: 'More than 24 hours have passed since the recipient last replied.' },
          },
        ],
      });
      expect(webhooks.parse(aWhatsAppNotification(APP_SECRET, failed)).statuses).toEqual([
        {
          providerMessageId: WAMID,
          status: 'failed',
          at: '2026-11-24T10:01:00.000Z',
          reason: 'Re-engagement message (code 131047): More than 24 hours have passed since the recipient last replied.',
        },
      ]);
    });

    it('reports nothing for statuses it does not know (deleted, warning)', () => {
      expect(webhooks.parse(aWhatsAppNotification(APP_SECRET, status({ status: 'deleted' })))).toEqual({ statuses: [], inbound: [] });
    });

    it("maps a text message and a template's quick-reply button to inbound reports", () => {
      const value = {
        contacts: [{ profile: { name: 'Ana' }, wa_id: '34600000001' }],
        messages: [
          { from: '34600000001', id: 'wamid.IN1', timestamp: '1795514460', type: 'text', text: { body: 'BAJA' } },
          { from: '34600000001', id: 'wamid.IN2', timestamp: '1795514520', type: 'button', button: { text: 'STOP', payload: 'STOP' } },
          { from: '34600000001', id: 'wamid.IN3', timestamp: '1795514580', type: 'image', image: { id: '1', mime_type: 'image/jpeg' } },
        ],
      };
      expect(webhooks.parse(aWhatsAppNotification(APP_SECRET, value))).toEqual({
        statuses: [],
        inbound: [
          { channel: 'whatsapp', from: '34600000001', text: 'BAJA', at: '2026-11-24T10:01:00.000Z', providerMessageId: 'wamid.IN1' },
          { channel: 'whatsapp', from: '34600000001', text: 'STOP', at: '2026-11-24T10:02:00.000Z', providerMessageId: 'wamid.IN2' },
        ],
      });
    });

    it('ignores a body that is not a Cloud API notification', () => {
      const request = { ...aWhatsAppNotification(APP_SECRET, {}), rawBody: Buffer.from('not json') };
      expect(webhooks.parse(request)).toEqual({ statuses: [], inbound: [] });
    });
  });
});

describe('WhatsAppCloudWebhooks, subscribe widget codes', () => {
  it('maps a text carrying a widget code to a subscription of the sender, not a reply', () => {
    const value = {
      messages: [
        {
          from: '34600000001',
          id: 'wamid.IN4',
          timestamp: '1795514460',
          type: 'text',
          text: { body: 'Subscribe me to ACME offers K3P9-ZQ4M-7TXW-2HRB' },
        },
        { from: '34600000002', id: 'wamid.IN5', timestamp: '1795514460', type: 'text', text: { body: 'my order K3P9ZQ4M7TXW2HRB' } },
      ],
    };
    expect(webhooks.parse(aWhatsAppNotification(APP_SECRET, value))).toEqual({
      statuses: [],
      inbound: [
        {
          channel: 'whatsapp',
          from: '34600000002',
          text: 'my order K3P9ZQ4M7TXW2HRB',
          at: '2026-11-24T10:01:00.000Z',
          providerMessageId: 'wamid.IN5',
        },
      ],
      subscriptions: [
        { channel: 'whatsapp', from: '34600000001', code: 'K3P9ZQ4M7TXW2HRB', event: 'whatsapp:code', at: '2026-11-24T10:01:00.000Z' },
      ],
    });
  });
});
