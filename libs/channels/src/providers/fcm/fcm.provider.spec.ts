import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { sendThrough } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { aCartReminder } from '../../testing/outbound-messages';
import { startFakeFcm, type FakeFcm } from '../../testing/fake-fcm';
import { FcmProvider, fcmFactory } from './fcm.provider';
import { fcmConfig } from './fcm.settings';

const DEVICE = 'fMEQk3lnR0u0QxXkqV2Y1m:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx';
const CLIENT_EMAIL = 'nudge-sender@nudge-test.iam.gserviceaccount.com';

const aMessage = (overrides: Partial<OutboundMessage> = {}): OutboundMessage =>
  aCartReminder({ channel: 'push', to: DEVICE, subject: 'ACME', ...overrides });

const rsaKeyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const aServiceAccount = (privateKey: KeyObject, tokenUri: string, extra: object = {}) =>
  JSON.stringify({
    type: 'service_account',
    project_id: 'nudge-test',
    private_key_id: 'f1e2d3c4',
    private_key: pem(privateKey),
    client_email: CLIENT_EMAIL,
    token_uri: tokenUri,
    ...extra,
  });

describe('FcmProvider', () => {
  const keys = rsaKeyPair();
  let fcm: FakeFcm;
  let clock: number;
  const providerFor = (serviceAccount: string, settings: object = {}) =>
    new FcmProvider(
      fcmConfig({ provider: 'fcm', serviceAccountEnv: 'FCM_SA', baseUrl: fcm.baseUrl, timeoutMs: 10_000, ...settings }, 'push', {
        env: { FCM_SA: serviceAccount },
        publicUrl: 'https://nudge.example',
      }),
      () => clock,
    );
  let provider: FcmProvider;

  beforeEach(async () => {
    clock = Date.parse('2026-11-24T10:00:00Z');
    fcm = await startFakeFcm({ projectId: 'nudge-test', clientEmail: CLIENT_EMAIL, publicKey: keys.publicKey });
    fcm.registerDevice(DEVICE);
    provider = providerFor(aServiceAccount(keys.privateKey, fcm.tokenUri), { defaultTitle: 'Nudge' });
  });
  afterEach(() => fcm.close());

  it('signs in as the service account and sends the notification, titled by the subject', async () => {
    const result = await sendThrough(provider, aMessage());
    expect(result).toEqual({
      outcome: 'accepted',
      status: 'sent',
      providerMessageId: 'projects/nudge-test/messages/0:176400001%31bd1c9631bd1c96',
    });
    expect(fcm.sent).toEqual([{ token: DEVICE, title: 'ACME', body: 'Your cart is waiting', name: expect.any(String) }]);
    expect(fcm.grants).toBe(1);
  });

  it('titles a message without subject with defaultTitle, or leaves the title out', async () => {
    await sendThrough(provider, aMessage({ subject: undefined }));
    await sendThrough(providerFor(aServiceAccount(keys.privateKey, fcm.tokenUri)), aMessage({ subject: undefined }));
    expect(fcm.sent.map(({ title }) => title)).toEqual(['Nudge', undefined]);
  });

  it('keeps the access token until shortly before it expires', async () => {
    await sendThrough(provider, aMessage());
    clock += 50 * 60 * 1000;
    await sendThrough(provider, aMessage({ messageId: 'm-2' }));
    expect(fcm.grants).toBe(1);
    clock += 6 * 60 * 1000;
    await sendThrough(provider, aMessage({ messageId: 'm-3' }));
    expect(fcm.grants).toBe(2);
    expect(fcm.sent).toHaveLength(3);
  });

  it('sends started together share one sign-in', async () => {
    const results = await Promise.all(['m-1', 'm-2', 'm-3'].map((messageId) => sendThrough(provider, aMessage({ messageId }))));
    expect(results.map((result) => result.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(fcm.grants).toBe(1);
  });

  it('QUOTA_EXCEEDED (429) fails transiently, and the retry goes through', async () => {
    fcm.throttleNext(1);
    const first = await sendThrough(provider, aMessage());
    expect(first).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: 'FCM failed: QUOTA_EXCEEDED: Quota exceeded for quota metric' },
    });
    const retry = await sendThrough(provider, aMessage({ attempt: 2 }));
    expect(retry).toMatchObject({ outcome: 'accepted' });
  });

  it('an unregistered device token fails the message for good with FCM own message', async () => {
    const result = await sendThrough(provider, aMessage({ to: 'cYx-stale-device-token' }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message:
          'FCM refused the message: UNREGISTERED: Requested entity was not found. — the device token is no longer registered (app uninstalled or token expired)',
      },
    });
  });

  it('a malformed device token (400 INVALID_ARGUMENT) fails the message for good', async () => {
    const result = await sendThrough(provider, aMessage({ to: 'bad' }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: expect.stringMatching(
          /^FCM refused the message: INVALID_ARGUMENT: The registration token is not a valid FCM registration token/,
        ),
      },
    });
  });

  it('a revoked access token fails transiently, and the retry signs in again', async () => {
    await sendThrough(provider, aMessage());
    fcm.revokeAccessTokens();
    const refused = await sendThrough(provider, aMessage({ messageId: 'm-2' }));
    expect(refused).toMatchObject({ outcome: 'rejected', error: { kind: 'transient', message: expect.stringMatching(/UNAUTHENTICATED/) } });
    const retry = await sendThrough(provider, aMessage({ messageId: 'm-2', attempt: 2 }));
    expect(retry).toMatchObject({ outcome: 'accepted' });
    expect(fcm.grants).toBe(2);
  });

  it('a service account whose key Google does not know is refused for good', async () => {
    const impostor = providerFor(aServiceAccount(rsaKeyPair().privateKey, fcm.tokenUri));
    const result = await sendThrough(impostor, aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: `Google refused the service account ${CLIENT_EMAIL}: invalid_grant: Invalid JWT Signature.` },
    });
    expect(fcm.sent).toHaveLength(0);
  });

  it('a token endpoint that never answers fails transiently (no message left); FCM that never answers is an unknown outcome', async () => {
    const hasty = () => providerFor(aServiceAccount(keys.privateKey, fcm.tokenUri), { timeoutMs: 300 });
    // Only a signed-in provider can show FCM itself timing out, so this one signs in under the short timeout, on a path the first send warmed.
    await sendThrough(provider, aMessage());
    const signedIn = hasty();
    expect(await sendThrough(signedIn, aMessage({ messageId: 'm-2' }))).toMatchObject({ outcome: 'accepted' });
    fcm.goSilent();
    expect(await sendThrough(hasty(), aMessage())).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: "Google's token endpoint did not answer within 300 ms" },
    });
    expect(await sendThrough(signedIn, aMessage({ messageId: 'm-3' }))).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'unknown', message: 'FCM did not answer within 300 ms' },
    });
  });
});

describe('fcmFactory', () => {
  const { privateKey } = rsaKeyPair();
  const serviceAccount = aServiceAccount(privateKey, 'https://oauth2.googleapis.com/token');
  const build = (env: Record<string, string>, settings: object = {}) =>
    fcmFactory({ provider: 'fcm', serviceAccountEnv: 'FCM_SA', ...settings }, 'push', { env, publicUrl: 'https://nudge.example' });

  it.each([
    ['an unset variable', {}, {}, 'providers.push.serviceAccountEnv: environment variable FCM_SA is not set'],
    [
      'a path instead of the JSON',
      { FCM_SA: '/etc/secrets/sa.json' },
      {},
      'providers.push.serviceAccountEnv: environment variable FCM_SA does not hold JSON',
    ],
    [
      'a key without private_key',
      { FCM_SA: JSON.stringify({ client_email: CLIENT_EMAIL }) },
      {},
      'providers.push.serviceAccountEnv: environment variable FCM_SA is not a service account key: private_key Required',
    ],
    [
      'an unreadable private_key',
      { FCM_SA: JSON.stringify({ client_email: CLIENT_EMAIL, private_key: 'not a key' }) },
      {},
      'providers.push.serviceAccountEnv: environment variable FCM_SA has an unreadable private_key',
    ],
    [
      'no project anywhere',
      { FCM_SA: JSON.stringify({ ...JSON.parse(serviceAccount), project_id: undefined }) },
      {},
      'providers.push.projectId: required, as the service account names no project_id',
    ],
    [
      'no serviceAccountEnv setting',
      { FCM_SA: serviceAccount },
      { serviceAccountEnv: undefined },
      "providers.push.serviceAccountEnv: must name the environment variable holding the service account's JSON key",
    ],
  ])('refuses %s', (_case, env, settings, error) => {
    expect(() => build(env, settings)).toThrow(error);
  });

  it('talks to the real FCM within 10 s, as the service account project, unless told otherwise', () => {
    const config = fcmConfig({ provider: 'fcm', serviceAccountEnv: 'FCM_SA' }, 'push', { env: { FCM_SA: serviceAccount }, publicUrl: '' });
    expect(config).toMatchObject({
      projectId: 'nudge-test',
      baseUrl: 'https://fcm.googleapis.com',
      timeoutMs: 10_000,
      serviceAccount: { clientEmail: CLIENT_EMAIL, privateKeyId: 'f1e2d3c4', tokenUri: 'https://oauth2.googleapis.com/token' },
    });
    expect(build({ FCM_SA: serviceAccount }, { projectId: 'other' })).toMatchObject({
      name: 'fcm',
      capabilities: { idempotencyKey: false },
    });
  });
});
