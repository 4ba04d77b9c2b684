import { createHmac } from 'node:crypto';
import { CHANNELS, type Channel } from '@nudge/contracts';
import { sameSecret } from '@nudge/service-runtime';

/**
 * What a recipient link lets its holder do. Each purpose is its own token: an unsubscribe
 * link's token opens nothing else, nor does the preference page's (`preferences`).
 */
export const LINK_PURPOSES = ['unsubscribe', 'preferences', 'confirm'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

/** What a recipient link's token vouches for: who, on which channel, from which message, until when. */
export interface RecipientLinkClaims {
  purpose: LinkPurpose;
  userId: string;
  channel: Channel;
  /** The message that carried the link, when there was one (kept in the consent change's proof). */
  messageId?: string;
  /** Unix seconds after which the link no longer works. */
  expiresAt: number;
}

/** Why a presented token was refused: not ours (tampered, another secret, another purpose, garbage) or past its expiry. */
export type TokenVerdict = { ok: true; claims: RecipientLinkClaims } | { ok: false; reason: 'invalid' | 'expired' };

/** A token is at most this long: a user id of MAX_ID_LENGTH and a message id fit well within it. */
export const MAX_TOKEN_LENGTH = 1_024;

const VERSION = 1;

/**
 * The token of a recipient link: `<payload>.<mac>`, both base64url. The payload is the JSON
 * array `[1, purpose, userId, channel, messageId|null, expiresAt]`; the mac is HMAC-SHA256
 * keyed with the link secret over the payload's text. Only URL-safe characters, so it fits
 * a path segment and a mailto subject as it is. The same claims always give the same token,
 * so a message's link is the same in its body and in its headers.
 */
export function signRecipientToken(secret: string, claims: RecipientLinkClaims): string {
  const payload = Buffer.from(
    JSON.stringify([VERSION, claims.purpose, claims.userId, claims.channel, claims.messageId ?? null, claims.expiresAt]),
    'utf8',
  ).toString('base64url');
  return `${payload}.${macOf(secret, payload)}`;
}

/**
 * Whether `token` is a valid, unexpired `purpose` token under one of `secrets` (the first
 * signs; the others are previous secrets still honoured while their links live). The mac
 * is compared in constant time before anything of the payload is read.
 */
export function verifyRecipientToken(secrets: readonly string[], token: string, purpose: LinkPurpose, now: Date): TokenVerdict {
  const invalid: TokenVerdict = { ok: false, reason: 'invalid' };
  if (token.length > MAX_TOKEN_LENGTH) return invalid;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return invalid;
  const payload = token.slice(0, dot);
  const mac = token.slice(dot + 1);
  if (!secrets.some((secret) => sameSecret(macOf(secret, payload), mac))) return invalid;
  const claims = claimsOf(payload);
  if (claims === undefined || claims.purpose !== purpose) return invalid;
  if (now.getTime() >= claims.expiresAt * 1_000) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

function macOf(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('base64url');
}

/** The claims of a payload we signed ourselves (its mac checked), or undefined if it is not of a shape we make. */
function claimsOf(payload: string): RecipientLinkClaims | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 6) return undefined;
  const [version, purpose, userId, channel, messageId, expiresAt] = parsed as unknown[];
  if (version !== VERSION || !isPurpose(purpose) || typeof userId !== 'string' || userId === '') return undefined;
  if (!isChannel(channel) || (messageId !== null && typeof messageId !== 'string')) return undefined;
  if (typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt)) return undefined;
  return { purpose, userId, channel, ...(messageId === null ? {} : { messageId }), expiresAt };
}

function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

function isPurpose(value: unknown): value is LinkPurpose {
  return typeof value === 'string' && (LINK_PURPOSES as readonly string[]).includes(value);
}
