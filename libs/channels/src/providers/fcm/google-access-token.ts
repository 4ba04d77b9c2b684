import { sign } from 'node:crypto';
import { z } from 'zod';
import { ProviderPermanentError, ProviderTransientError, ProviderUnknownOutcomeError } from '../../provider-errors';
import { callProvider, isTransientStatus, parseJson } from '../shared/provider-http';
import type { ServiceAccount } from './fcm.settings';

export const FIREBASE_MESSAGING_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

/** A token is renewed this long before Google says it expires, so none expires in flight. */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60 * 1000;
const ASSERTION_LIFETIME_S = 3600;

const grantAnswer = z.object({ access_token: z.string(), expires_in: z.number() });
const grantError = z.object({ error: z.string(), error_description: z.string().optional() });

interface CachedToken {
  value: string;
  renewAt: number;
}

/**
 * OAuth 2.0 access tokens for a service account, the way Google's client libraries get
 * them: a JWT (RS256) asserting the account and the scope, exchanged at `token_uri` for
 * a bearer token, kept until shortly before it expires. Concurrent callers share one
 * request.
 */
export class GoogleAccessToken {
  private cached?: CachedToken;
  private pending?: Promise<CachedToken>;

  constructor(
    private readonly account: ServiceAccount,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid access token, from the cache or freshly granted. */
  async get(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.value;
    if (!this.pending) {
      this.pending = this.grant().finally(() => {
        this.pending = undefined;
      });
    }
    this.cached = await this.pending;
    return this.cached.value;
  }

  /** Drops the cached token (FCM refused it), so the next call asks for a new one. */
  forget(): void {
    this.cached = undefined;
  }

  private async grant(): Promise<CachedToken> {
    const askedAt = this.now();
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: this.assertion(askedAt) });
    const { status, text } = await callProvider(
      "Google's token endpoint",
      this.account.tokenUri,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() },
      this.timeoutMs,
    ).catch((error: unknown) => {
      // No message left yet: whatever became of the token request, the send surely did not happen.
      throw error instanceof ProviderUnknownOutcomeError ? new ProviderTransientError(error.message) : error;
    });
    const granted = grantAnswer.safeParse(parseJson(text));
    if (status === 200 && granted.success) {
      return { value: granted.data.access_token, renewAt: askedAt + granted.data.expires_in * 1000 - RENEW_BEFORE_EXPIRY_MS };
    }
    const refused = grantError.safeParse(parseJson(text));
    const reason = refused.success ? [refused.data.error, refused.data.error_description].filter(Boolean).join(': ') : `HTTP ${status}`;
    if (isTransientStatus(status)) throw new ProviderTransientError(`Google's token endpoint failed: ${reason}`);
    throw new ProviderPermanentError(`Google refused the service account ${this.account.clientEmail}: ${reason}`);
  }

  private assertion(nowMs: number): string {
    const iat = Math.floor(nowMs / 1000);
    const header = { alg: 'RS256', typ: 'JWT', ...(this.account.privateKeyId && { kid: this.account.privateKeyId }) };
    const claims = {
      iss: this.account.clientEmail,
      scope: FIREBASE_MESSAGING_SCOPE,
      aud: this.account.tokenUri,
      iat,
      exp: iat + ASSERTION_LIFETIME_S,
    };
    const unsigned = `${base64url(header)}.${base64url(claims)}`;
    const signature = sign('sha256', Buffer.from(unsigned), this.account.privateKey).toString('base64url');
    return `${unsigned}.${signature}`;
  }
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
