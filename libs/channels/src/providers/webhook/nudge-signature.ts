import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Nudge signs webhook bodies in: `sha256=<hex HMAC-SHA256(secret, raw body)>`. */
export const NUDGE_SIGNATURE_HEADER = 'X-Nudge-Signature';

/** The value of X-Nudge-Signature for a raw body. */
export function nudgeSignature(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Checks an X-Nudge-Signature header against the body exactly as received (before any JSON
 * parsing), in constant time. Self-contained (node:crypto only) so customers can copy it.
 * The signed body carries `sentAt`: reject old ones to stop replays.
 */
export function verifyNudgeSignature(secret: string, rawBody: string | Buffer, header: string | null | undefined): boolean {
  const presentedHex = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '')?.[1];
  if (!presentedHex) return false;
  const presented = Buffer.from(presentedHex, 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
