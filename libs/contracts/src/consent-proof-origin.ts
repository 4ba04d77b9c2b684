import { z } from 'zod';
import { MAX_IP_LENGTH, MAX_USER_AGENT_LENGTH, type ConsentProof } from './consent';
import { forbiddenCharacterIn } from './text-limits';

/** What the HTTP request that carried a consent change tells of the person behind it. */
export interface RequestOrigin {
  /** The `X-Forwarded-For` header: its first address is the client's, as the proxy saw it. */
  forwardedFor: string | string[] | undefined;
  userAgent: string | undefined;
  /** The socket's peer address: the client, when no proxy sets `X-Forwarded-For`. */
  remoteAddress: string | undefined;
}

const ipSchema = z.string().max(MAX_IP_LENGTH).ip();

/**
 * The proof of a request's consent changes: what the caller says explicitly (ingest's
 * `consentProof`), else what the request shows — the first address of `X-Forwarded-For` (else
 * the socket's address) and the `User-Agent` (cut to its bound; dropped if it holds control
 * characters). Ingest's profile updates and dispatch's recipient pages both take it so.
 */
export function consentProofOf(explicit: ConsentProof, origin: RequestOrigin): ConsentProof {
  const ip = explicit.ip ?? clientAddressOf(origin);
  const userAgent = explicit.userAgent ?? userAgentOf(origin.userAgent);
  return {
    ...(ip === undefined ? {} : { ip }),
    ...(userAgent === undefined ? {} : { userAgent }),
    ...(explicit.textVersion === undefined ? {} : { textVersion: explicit.textVersion }),
  };
}

function clientAddressOf({ forwardedFor, remoteAddress }: RequestOrigin): string | undefined {
  const header = Array.isArray(forwardedFor) ? forwardedFor[0] : forwardedFor;
  const first = header?.split(',')[0]?.trim();
  for (const candidate of [first, remoteAddress]) {
    const address = candidate?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
    if (address !== undefined && ipSchema.safeParse(address).success) return address;
  }
  return undefined;
}

function userAgentOf(header: string | undefined): string | undefined {
  const userAgent = header?.trim().slice(0, MAX_USER_AGENT_LENGTH);
  if (!userAgent || forbiddenCharacterIn(userAgent) !== null) return undefined;
  return userAgent;
}
