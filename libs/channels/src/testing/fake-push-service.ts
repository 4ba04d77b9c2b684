import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { startFakeProviderServer, type FakeAnswer, type FakeProviderServer } from './fake-provider-server';

/** A notification the fake push service took, decrypted as the browser would. */
export interface FakePushDelivery {
  subscriptionId: string;
  payload: string;
  ttl: string;
}

/**
 * A local push service (RFC 8030) with the browser side in it: `subscribe()` makes a
 * subscription the way a browser does (an ECDH P-256 key pair and a 16-byte auth secret),
 * bound to the VAPID public key. A push must carry `Authorization: vapid t=<JWT>, k=<key>`
 * with an ES256 JWT signed by that key for this origin, `Content-Encoding: aes128gcm` and
 * a `TTL`; the fake decrypts the payload (RFC 8291) with the subscription's keys. Answers
 * 201 with a `Location`, 410 for an expired subscription, 429 when throttling.
 */
export interface FakePushService extends FakeProviderServer {
  deliveries: FakePushDelivery[];
  /** A new subscription's JSON, as `PushSubscription.toJSON()` gives it. */
  subscribe(): string;
  /** The subscription is gone: pushes to it get 410. */
  expire(subscriptionJson: string): void;
  /** The next `count` pushes get 429. */
  throttleNext(count: number): void;
}

export async function startFakePushService(vapidPublicKey: string): Promise<FakePushService> {
  const subscriptions = new Map<string, { keys: ECDH; auth: Buffer; expired: boolean }>();
  const deliveries: FakePushDelivery[] = [];
  let throttled = 0;
  let origin = '';

  const refuse = (status: number, text: string): FakeAnswer => ({ status, body: text, contentType: 'text/plain' });

  const server = await startFakeProviderServer((request) => {
    const id = /^\/push\/([\w-]+)$/.exec(request.path)?.[1];
    const subscription = id === undefined ? undefined : subscriptions.get(id);
    if (request.method !== 'POST' || id === undefined || !subscription) return refuse(404, 'Not Found');
    const vapidProblem = checkVapid(request.headers.authorization, vapidPublicKey, origin);
    if (vapidProblem) return refuse(403, vapidProblem);
    if (request.headers['content-encoding'] !== 'aes128gcm') return refuse(415, 'Unsupported Content-Encoding; expected aes128gcm');
    const ttl = request.headers.ttl;
    if (typeof ttl !== 'string' || !/^\d+$/.test(ttl)) return refuse(400, 'Missing TTL header');
    if (throttled > 0) {
      throttled -= 1;
      return { ...refuse(429, 'Too Many Requests'), headers: { 'retry-after': '30' } };
    }
    if (subscription.expired) return refuse(410, 'push subscription has unsubscribed or expired.');
    let payload: string;
    try {
      payload = decrypt(request.rawBody, subscription.keys, subscription.auth);
    } catch {
      return refuse(400, 'The payload could not be decrypted with the subscription keys');
    }
    deliveries.push({ subscriptionId: id, payload, ttl });
    return { status: 201, headers: { location: `${origin}/message/${id}-${deliveries.length}` } };
  });
  origin = server.baseUrl;

  return {
    ...server,
    deliveries,
    subscribe: () => {
      const id = `sub-${subscriptions.size + 1}`;
      const keys = createECDH('prime256v1');
      keys.generateKeys();
      const auth = randomBytes(16);
      subscriptions.set(id, { keys, auth, expired: false });
      return JSON.stringify({
        endpoint: `${origin}/push/${id}`,
        expirationTime: null,
        keys: { p256dh: keys.getPublicKey('base64url'), auth: auth.toString('base64url') },
      });
    },
    expire: (subscriptionJson) => {
      const id = /\/push\/([\w-]+)$/.exec((JSON.parse(subscriptionJson) as { endpoint: string }).endpoint)?.[1];
      const subscription = id === undefined ? undefined : subscriptions.get(id);
      if (subscription) subscription.expired = true;
    },
    throttleNext: (count) => {
      throttled = count;
    },
  };
}

/** What is wrong with the VAPID authorization (RFC 8292), or undefined when it is right. */
function checkVapid(authorization: string | undefined, vapidPublicKey: string, origin: string): string | undefined {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization ?? '');
  if (!match?.[1] || !match[2]) return 'Missing or malformed vapid Authorization header';
  if (match[2] !== vapidPublicKey) return 'The VAPID key does not match the subscription application server key';
  const [header = '', claims = '', signature = ''] = match[1].split('.');
  const point = Buffer.from(vapidPublicKey, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') },
    format: 'jwk',
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return 'The VAPID JWT signature is not valid';
  const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
  const { aud, exp, sub } = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { aud?: string; exp?: number; sub?: string };
  const nowSeconds = Date.now() / 1000;
  if (alg !== 'ES256') return 'The VAPID JWT must be ES256';
  if (aud !== origin) return `The VAPID JWT audience must be ${origin}`;
  if (typeof exp !== 'number' || exp <= nowSeconds || exp > nowSeconds + 24 * 3600) return 'The VAPID JWT expiry must be within 24 hours';
  if (!sub || !/^(mailto:|https:)/.test(sub)) return 'The VAPID JWT subject must be a mailto: or https: contact';
  return undefined;
}

/** Decrypts an aes128gcm body (RFC 8188) with the subscription's keys (RFC 8291), as the browser does. */
function decrypt(body: Buffer, subscriptionKeys: ECDH, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const keyIdLength = body.readUInt8(20);
  const senderPublicKey = body.subarray(21, 21 + keyIdLength);
  const record = body.subarray(21 + keyIdLength);
  const sharedSecret = subscriptionKeys.computeSecret(senderPublicKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), subscriptionKeys.getPublicKey(), senderPublicKey]);
  const ikm = Buffer.from(hkdfSync('sha256', sharedSecret, auth, keyInfo, 32));
  const contentKey = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', contentKey, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  const end = padded.lastIndexOf(2);
  return padded.subarray(0, end).toString('utf8');
}
