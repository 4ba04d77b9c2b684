import { generateVAPIDKeys } from 'web-push';
import { sendThrough } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { aCartReminder } from '../../testing/outbound-messages';
import { startFakePushService, type FakePushService } from '../../testing/fake-push-service';
import { WebpushProvider, webpushFactory } from './webpush.provider';
import { webpushConfig } from './webpush.settings';

const vapid = generateVAPIDKeys();
const env = { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey };
const context = { env, publicUrl: 'https://nudge.example' };
const settings = {
  provider: 'webpush',
  vapidPublicKeyEnv: 'VAPID_PUBLIC_KEY',
  vapidPrivateKeyEnv: 'VAPID_PRIVATE_KEY',
  subject: 'mailto:ops@shop.example',
};

const aMessage = (to: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage =>
  aCartReminder({ channel: 'webpush', to, subject: 'ACME', ...overrides });

describe('WebpushProvider', () => {
  let pushService: FakePushService;
  let webpush: WebpushProvider;
  let subscription: string;

  beforeEach(async () => {
    pushService = await startFakePushService(vapid.publicKey);
    subscription = pushService.subscribe();
    // The fake push service is on 127.0.0.1: listed, or every push would be refused as a loopback address.
    webpush = webpushFactory(
      { ...settings, defaultTitle: 'Nudge', timeoutMs: 10_000, allowedHosts: ['127.0.0.1'] },
      'webpush',
      context,
    ) as WebpushProvider;
  });
  afterEach(() => pushService.close());

  it('pushes the encrypted {title, body} with a VAPID signature, and answers sent with the push message URL', async () => {
    const result = await sendThrough(webpush, aMessage(subscription));
    expect(result).toEqual({
      outcome: 'accepted',
      status: 'sent',
      providerMessageId: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/message\/sub-1-1$/),
    });
    expect(pushService.deliveries).toEqual([
      { subscriptionId: 'sub-1', payload: '{"title":"ACME","body":"Your cart is waiting"}', ttl: '86400' },
    ]);
  });

  it('titles a message without subject with defaultTitle', async () => {
    await sendThrough(webpush, aMessage(subscription, { subject: undefined }));
    expect(JSON.parse(pushService.deliveries[0]?.payload ?? '')).toEqual({ title: 'Nudge', body: 'Your cart is waiting' });
  });

  it('a throttling push service (429) fails transiently, and the retry goes through', async () => {
    pushService.throttleNext(1);
    const first = await sendThrough(webpush, aMessage(subscription));
    expect(first).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: 'the push service failed (HTTP 429): Too Many Requests' },
    });
    const retry = await sendThrough(webpush, aMessage(subscription, { attempt: 2 }));
    expect(retry).toMatchObject({ outcome: 'accepted' });
    expect(pushService.deliveries).toHaveLength(1);
  });

  it('an expired subscription (410 Gone) fails the message for good', async () => {
    pushService.expire(subscription);
    const result = await sendThrough(webpush, aMessage(subscription));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: 'the push subscription expired or was unsubscribed (HTTP 410): push subscription has unsubscribed or expired.',
      },
    });
  });

  it('a push signed with VAPID keys the subscription was not made for is refused for good (403)', async () => {
    const other = generateVAPIDKeys();
    const stranger = webpushFactory({ ...settings, allowedHosts: ['127.0.0.1'] }, 'webpush', {
      ...context,
      env: { VAPID_PUBLIC_KEY: other.publicKey, VAPID_PRIVATE_KEY: other.privateKey },
    });
    const result = await sendThrough(stranger, aMessage(subscription));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message:
          'the push service refused the notification (HTTP 403): The VAPID key does not match the subscription application server key',
      },
    });
  });

  it('a push service that never answers is an unknown outcome after the timeout (the request may have arrived)', async () => {
    const hasty = webpushFactory({ ...settings, timeoutMs: 300, allowedHosts: ['127.0.0.1'] }, 'webpush', context);
    pushService.goSilent();
    const result = await sendThrough(hasty, aMessage(subscription));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'unknown', message: 'the push service did not answer within 300 ms' },
    });
  });

  it('refuses a push endpoint on a loopback address by default: no request, and the message fails for good', async () => {
    const port = new URL(pushService.baseUrl).port;
    const unlisted = webpushFactory(settings, 'webpush', context);
    const result = await sendThrough(unlisted, aMessage(subscription));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: `push endpoint is 127.0.0.1, a loopback address; list its host (127.0.0.1:${port}) in providers.webpush.allowedHosts to allow it`,
      },
    });
    expect(pushService.requests).toHaveLength(0);
  });

  it('pushes to the local push service when allowedHosts lists 127.0.0.1:<port>', async () => {
    const listed = webpushFactory({ ...settings, allowedHosts: [new URL(pushService.baseUrl).host] }, 'webpush', context);
    const result = await sendThrough(listed, aMessage(subscription));
    expect(result).toMatchObject({ outcome: 'accepted', status: 'sent' });
    expect(pushService.requests).toHaveLength(1);
  });

  it('refuses an endpoint whose host allowedHosts does not list', async () => {
    const listed = webpushFactory({ ...settings, allowedHosts: ['*.push.apple.com'] }, 'webpush', context);
    const result = await sendThrough(listed, aMessage(subscription));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: `the push endpoint's host ${new URL(pushService.baseUrl).host} is not in allowedHosts (*.push.apple.com)`,
      },
    });
    expect(pushService.requests).toHaveLength(0);
  });

  it.each([
    [
      'not JSON',
      'https://push.example/abc',
      'the address is not a push subscription: not JSON (expected {"endpoint", "keys": {"p256dh", "auth"}})',
    ],
    ['without keys', JSON.stringify({ endpoint: 'https://push.example/abc' }), 'the address is not a push subscription: keys Required'],
    [
      'with a non-URL endpoint',
      JSON.stringify({ endpoint: 'abc', keys: { p256dh: 'x', auth: 'y' } }),
      'the address is not a push subscription: endpoint Invalid url',
    ],
    [
      'with unusable keys',
      JSON.stringify({ endpoint: 'https://push.example/abc', keys: { p256dh: 'short', auth: 'y' } }),
      "the push subscription's keys are not usable: ",
    ],
  ])('an address %s fails for good, saying why', async (_case, to, reason) => {
    const result = await sendThrough(webpush, aMessage(to));
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'permanent', message: expect.stringContaining(reason) } });
  });
});

describe('webpushFactory', () => {
  const other = generateVAPIDKeys();
  it.each([
    [
      'no subject',
      { subject: undefined },
      env,
      'providers.webpush.subject: must give a contact for push services, a mailto: or https: URL',
    ],
    ['an http subject', { subject: 'http://shop.example' }, env, 'providers.webpush.subject: must be a mailto: or https: URL'],
    [
      'an unset private key',
      {},
      { VAPID_PUBLIC_KEY: vapid.publicKey },
      'providers.webpush.vapidPrivateKeyEnv: environment variable VAPID_PRIVATE_KEY is not set',
    ],
    [
      'a public key that is not one',
      {},
      { ...env, VAPID_PUBLIC_KEY: 'abc' },
      'providers.webpush.vapidPublicKeyEnv: environment variable VAPID_PUBLIC_KEY is not a VAPID key (65 bytes, URL-safe Base64)',
    ],
    [
      'keys from two pairs',
      {},
      { ...env, VAPID_PUBLIC_KEY: other.publicKey },
      'providers.webpush.vapidPublicKeyEnv: environment variable VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY',
    ],
  ])('refuses %s', (_case, overrides, factoryEnv, error) => {
    expect(() => webpushFactory({ ...settings, ...overrides }, 'webpush', { ...context, env: factoryEnv })).toThrow(error);
  });

  it('keeps undelivered notifications a day and waits 10 s unless told otherwise', () => {
    expect(webpushConfig(settings, 'webpush', context)).toEqual({
      channel: 'webpush',
      vapidPublicKey: vapid.publicKey,
      vapidPrivateKey: vapid.privateKey,
      subject: 'mailto:ops@shop.example',
      ttlSeconds: 86_400,
      timeoutMs: 10_000,
    });
  });
});
