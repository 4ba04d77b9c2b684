import { verify, type KeyObject } from 'node:crypto';
import {
  bearerToken,
  formFields,
  jsonBody,
  startFakeProviderServer,
  type FakeAnswer,
  type FakeProviderServer,
  type ReceivedRequest,
} from './fake-provider-server';
import { FIREBASE_MESSAGING_SCOPE } from '../providers/fcm/google-access-token';

/** A notification the fake FCM took. */
export interface FakeFcmMessage {
  token: string;
  title?: string;
  body: string;
  name: string;
}

/**
 * A local stand-in for both Google's OAuth token endpoint (`POST /token`, verifying the
 * service account's RS256 JWT with its public key, scope, audience and lifetime) and FCM
 * HTTP v1 (`POST /v1/projects/{project}/messages:send`, accepting only bearer tokens it
 * granted), answering errors in Google's documented shapes.
 */
export interface FakeFcm extends FakeProviderServer {
  tokenUri: string;
  sent: FakeFcmMessage[];
  /** How many access tokens were granted. */
  grants: number;
  /** A device the project can reach; any other well-formed token is UNREGISTERED. */
  registerDevice(token: string): void;
  /** The next `count` sends are answered 429 QUOTA_EXCEEDED. */
  throttleNext(count: number): void;
  /** Every access token granted so far stops being accepted (401). */
  revokeAccessTokens(): void;
}

const fcmError = (httpStatus: number, status: string, message: string, errorCode?: string): FakeAnswer => {
  const details = errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : undefined;
  return { status: httpStatus, body: { error: { code: httpStatus, message, status, ...(details && { details }) } } };
};
const invalidGrant = (description: string): FakeAnswer => ({
  status: 400,
  body: { error: 'invalid_grant', error_description: description },
});
const decodeSegment = (segment: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(segment, 'base64url').toString()) as Record<string, unknown>;

export async function startFakeFcm(options: { projectId: string; clientEmail: string; publicKey: KeyObject }): Promise<FakeFcm> {
  const sent: FakeFcmMessage[] = [];
  const devices = new Set<string>();
  const validAccessTokens = new Set<string>();
  let grants = 0;
  let throttled = 0;
  let tokenUri = '';

  const grantToken = (request: ReceivedRequest): FakeAnswer => {
    const form = formFields(request);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' } };
    }
    const [header, claims, signature] = (form.get('assertion') ?? '').split('.');
    if (!header || !claims || !signature) {
      return invalidGrant('Invalid JWT: Token must be a short-lived token and in a reasonable timeframe');
    }
    if (!verify('sha256', Buffer.from(`${header}.${claims}`), options.publicKey, Buffer.from(signature, 'base64url'))) {
      return invalidGrant('Invalid JWT Signature.');
    }
    const { alg } = decodeSegment(header);
    const { iss, scope, aud, iat, exp } = decodeSegment(claims);
    if (alg !== 'RS256') return invalidGrant('Invalid JWT: alg must be RS256');
    if (iss !== options.clientEmail) return invalidGrant('Invalid JWT: iss is not the service account');
    if (aud !== tokenUri) return invalidGrant('Invalid JWT: aud must be the token URI');
    if (scope !== FIREBASE_MESSAGING_SCOPE) {
      return { status: 400, body: { error: 'invalid_scope', error_description: 'Invalid OAuth scope or ID token audience provided.' } };
    }
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600 || exp <= iat) {
      return invalidGrant('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
    }
    grants += 1;
    const accessToken = `ya29.fake-${grants}`;
    validAccessTokens.add(accessToken);
    return { status: 200, body: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' } };
  };

  const sendMessage = (request: ReceivedRequest, project: string): FakeAnswer => {
    const bearer = bearerToken(request);
    if (!bearer || !validAccessTokens.has(bearer)) {
      return fcmError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
    }
    if (project !== options.projectId) {
      return fcmError(
        403,
        'PERMISSION_DENIED',
        `Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/${project}'`,
      );
    }
    const message = (jsonBody(request) as { message?: { token?: unknown; notification?: { title?: unknown; body?: unknown } } } | undefined)
      ?.message;
    const token = message?.token;
    const notification = message?.notification;
    if (typeof token !== 'string' || token.length < 8) {
      return fcmError(400, 'INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token', 'INVALID_ARGUMENT');
    }
    if (typeof notification?.body !== 'string') {
      return fcmError(400, 'INVALID_ARGUMENT', "Invalid value at 'message.notification.body'", 'INVALID_ARGUMENT');
    }
    if (throttled > 0) {
      throttled -= 1;
      return fcmError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric', 'QUOTA_EXCEEDED');
    }
    if (!devices.has(token)) return fcmError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED');
    const name = `projects/${project}/messages/0:17640000${sent.length + 1}%31bd1c9631bd1c96`;
    sent.push({ token, ...(typeof notification.title === 'string' && { title: notification.title }), body: notification.body, name });
    return { status: 200, body: { name } };
  };

  const server = await startFakeProviderServer((request) => {
    if (request.method === 'POST' && request.path === '/token') return grantToken(request);
    const project = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(request.path)?.[1];
    if (request.method === 'POST' && project) return sendMessage(request, decodeURIComponent(project));
    return fcmError(404, 'NOT_FOUND', 'Not Found');
  });
  tokenUri = `${server.baseUrl}/token`;

  return {
    ...server,
    tokenUri,
    sent,
    get grants() {
      return grants;
    },
    registerDevice: (token) => devices.add(token),
    throttleNext: (count) => {
      throttled = count;
    },
    revokeAccessTokens: () => validAccessTokens.clear(),
  };
}
