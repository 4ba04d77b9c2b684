import { createHmac } from 'node:crypto';
import { canonicalWidgetCode, WIDGET_CODE_ALPHABET, WIDGET_CODE_LENGTH } from '@nudge/channel-rules';
import { sameSecret } from '@nudge/service-runtime';

/** Characters of the random id: 10 × 5 bits = 50 bits, unguessable among the codes alive at once. */
export const WIDGET_CODE_ID_LENGTH = 10;
/** Characters of the MAC: 30 bits, so a forged code is refused without a database read and codes cannot be enumerated. */
const MAC_LENGTH = WIDGET_CODE_LENGTH - WIDGET_CODE_ID_LENGTH;

/** A freshly minted code and the id its row is stored under. */
export interface MintedWidgetCode {
  id: string;
  code: string;
}

export type WidgetCodeVerdict = { ok: true; id: string } | { ok: false };

/**
 * A new widget code: a random id of WIDGET_CODE_ID_LENGTH characters, then the first
 * characters of HMAC-SHA256 keyed with the link secret over the id. `random` supplies at least
 * WIDGET_CODE_ID_LENGTH bytes (crypto.randomBytes; fixed in tests). The code says nothing of
 * the user or the widget: those are in the id's row, which also holds the expiry.
 */
export function mintWidgetCode(secret: string, random: Buffer): MintedWidgetCode {
  if (random.length < WIDGET_CODE_ID_LENGTH) throw new Error(`a widget code needs ${WIDGET_CODE_ID_LENGTH} random bytes`);
  const id = base32(random.subarray(0, WIDGET_CODE_ID_LENGTH));
  return { id, code: `${id}${macOf(secret, id)}` };
}

/**
 * Whether `raw` (as a chat carried it: any case, dashes, look-alike letters) is a code made
 * with one of `secrets`, and its id. The MAC is compared in constant time.
 */
export function verifyWidgetCode(secrets: readonly string[], raw: string): WidgetCodeVerdict {
  const code = canonicalWidgetCode(raw);
  if (code === undefined) return { ok: false };
  const id = code.slice(0, WIDGET_CODE_ID_LENGTH);
  const mac = code.slice(WIDGET_CODE_ID_LENGTH);
  return secrets.some((secret) => sameSecret(macOf(secret, id), mac)) ? { ok: true, id } : { ok: false };
}

function macOf(secret: string, id: string): string {
  const digest = createHmac('sha256', secret).update(`nudge-widget-code:${id}`, 'utf8').digest();
  return base32(digest.subarray(0, MAC_LENGTH));
}

/** One character per byte, from its low five bits (256 is a multiple of 32: no bias). */
function base32(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => WIDGET_CODE_ALPHABET[byte & 31]).join('');
}
