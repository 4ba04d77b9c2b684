import type { WebhookRequest } from '../../webhooks';
import { aMessengerNotification } from '../../testing/fake-messenger-send-api';
import { MessengerReadLedger } from './messenger-read-ledger';
import { MessengerWebhooks } from './messenger.webhooks';

const config = { appSecret: 'app-secret', verifyToken: 'verify-me', channel: 'messenger' as const };
const PSID = '6789012345';
const page = (...messaging: object[]) => ({ object: 'page', entry: [{ id: 'PAGE', time: 1764000000000, messaging }] });

const aHandshake = (query: Record<string, string>): WebhookRequest => ({
  url: 'https://nudge.example/v1/providers/messenger/status',
  method: 'GET',
  headers: {},
  rawBody: Buffer.alloc(0),
  body: undefined,
  query,
});

describe('MessengerWebhooks', () => {
  let ledger: MessengerReadLedger;
  let webhooks: MessengerWebhooks;

  beforeEach(() => {
    ledger = new MessengerReadLedger();
    webhooks = new MessengerWebhooks(config, ledger);
  });

  describe('handshake', () => {
    it('answers the challenge when the verify token matches', () => {
      expect(
        webhooks.handshake(aHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' })),
      ).toBe('1158201444');
    });

    it.each([
      [{ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1158201444' }],
      [{ 'hub.mode': 'subscribe', 'hub.challenge': '1158201444' }],
      [{ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' }],
    ])('refuses %j', (query) => {
      expect(webhooks.handshake(aHandshake(query))).toBeNull();
    });
  });

  describe('verify', () => {
    const notification = aMessengerNotification('app-secret', page({ sender: { id: PSID }, delivery: { mids: ['m_1'], watermark: 1 } }));

    it('accepts a POST signed with the app secret', () => {
      expect(webhooks.verify(notification)).toBe(true);
    });

    it('refuses a POST whose body changed after signing', () => {
      expect(webhooks.verify({ ...notification, rawBody: Buffer.from(notification.rawBody.toString().replace('m_1', 'm_2')) })).toBe(false);
    });

    it('refuses a POST signed with another secret, or unsigned', () => {
      expect(webhooks.verify(aMessengerNotification('other-secret', { object: 'page', entry: [] }))).toBe(false);
      expect(webhooks.verify({ ...notification, headers: {} })).toBe(false);
    });
  });

  describe('parse', () => {
    it('maps a text message to an inbound report, skipping echoes of our own sends', () => {
      const reply = { sender: { id: PSID }, recipient: { id: 'PAGE' }, timestamp: 1764000000000, message: { mid: 'm_in', text: 'STOP' } };
      const echo = {
        sender: { id: 'PAGE' },
        recipient: { id: PSID },
        timestamp: 1764000000000,
        message: { mid: 'm_out', text: 'Hi', is_echo: true },
      };
      expect(webhooks.parse(aMessengerNotification('app-secret', page(reply, echo)))).toEqual({
        statuses: [],
        inbound: [{ channel: 'messenger', from: PSID, text: 'STOP', at: '2025-11-24T16:00:00.000Z', providerMessageId: 'm_in' }],
      });
    });

    it('maps delivery.mids to delivered', () => {
      const delivery = { sender: { id: PSID }, recipient: { id: 'PAGE' }, delivery: { mids: ['m_1', 'm_2'], watermark: 1764000000000 } };
      expect(webhooks.parse(aMessengerNotification('app-secret', page(delivery))).statuses).toEqual([
        { providerMessageId: 'm_1', status: 'delivered', at: '2025-11-24T16:00:00.000Z' },
        { providerMessageId: 'm_2', status: 'delivered', at: '2025-11-24T16:00:00.000Z' },
      ]);
    });

    it('maps a read watermark to reads of the messages sent to that user up to it, each once', () => {
      ledger.remember('m_early', PSID, new Date(1764000000000));
      ledger.remember('m_other_user', 'someone-else', new Date(1764000000000));
      ledger.remember('m_late', PSID, new Date(1764000090000));
      const read = { sender: { id: PSID }, recipient: { id: 'PAGE' }, timestamp: 1764000060000, read: { watermark: 1764000050000 } };
      const notification = aMessengerNotification('app-secret', page(read));
      expect(webhooks.parse(notification).statuses).toEqual([
        { providerMessageId: 'm_early', status: 'read', at: '2025-11-24T16:01:00.000Z' },
      ]);
      expect(webhooks.parse(notification).statuses).toEqual([]);
    });

    it('ignores what is not a page notification', () => {
      expect(webhooks.parse(aMessengerNotification('app-secret', { object: 'instagram', entry: [] }))).toEqual({
        statuses: [],
        inbound: [],
      });
    });
  });
});

describe('MessengerWebhooks: marketing messages opt-outs', () => {
  const webhooks = new MessengerWebhooks(config, new MessengerReadLedger());
  const optin = (status: string, type = 'notification_messages') => ({
    sender: { id: PSID },
    recipient: { id: 'PAGE' },
    timestamp: 1764000000000,
    optin: { type, notification_messages_status: status, notification_messages_token: 'tok', payload: 'offers' },
  });

  it('makes STOP_NOTIFICATIONS an opt-out of the sender and RESUME_NOTIFICATIONS its lifting', () => {
    const content = webhooks.parse(aMessengerNotification('app-secret', page(optin('STOP_NOTIFICATIONS'), optin('RESUME_NOTIFICATIONS'))));
    expect(content.optOuts).toEqual([
      { channel: 'messenger', from: PSID, suppressed: true, event: 'messenger:stop_notifications', at: '2025-11-24T16:00:00.000Z' },
      { channel: 'messenger', from: PSID, suppressed: false, event: 'messenger:resume_notifications', at: '2025-11-24T16:00:00.000Z' },
    ]);
  });

  it('ignores other opt-ins (a one-time notification request)', () => {
    expect(
      webhooks.parse(aMessengerNotification('app-secret', page(optin('STOP_NOTIFICATIONS', 'one_time_notif_req')))).optOuts,
    ).toBeUndefined();
  });
});

describe('MessengerWebhooks, subscribe widget deep links', () => {
  const webhooks = new MessengerWebhooks(config, new MessengerReadLedger());
  const subscription = {
    channel: 'messenger',
    from: PSID,
    code: 'K3P9ZQ4M7TXW2HRB',
    event: 'messenger:referral',
    at: '2025-11-24T16:00:00.000Z',
  };

  it('maps a referral (m.me link opened in an existing thread) to a subscription of the sender with its ref', () => {
    const referral = {
      sender: { id: PSID },
      timestamp: 1764000000000,
      referral: { ref: 'K3P9ZQ4M7TXW2HRB', source: 'SHORTLINK', type: 'OPEN_THREAD' },
    };
    expect(webhooks.parse(aMessengerNotification('app-secret', page(referral)))).toEqual({
      statuses: [],
      inbound: [],
      subscriptions: [subscription],
    });
  });

  it('maps the Get Started postback of a new thread carrying the referral', () => {
    const postback = {
      sender: { id: PSID },
      timestamp: 1764000000000,
      postback: {
        title: 'Get Started',
        payload: 'GET_STARTED',
        referral: { ref: 'K3P9ZQ4M7TXW2HRB', source: 'SHORTLINK', type: 'OPEN_THREAD' },
      },
    };
    expect(webhooks.parse(aMessengerNotification('app-secret', page(postback)))).toEqual({
      statuses: [],
      inbound: [],
      subscriptions: [subscription],
    });
  });
});
