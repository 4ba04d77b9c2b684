import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's `X-Twilio-Signature` of a form-encoded callback: the base64 HMAC-SHA1, keyed by
 * the Auth Token, of the full URL Twilio called (query included) followed by every POST
 * parameter as name + value, sorted by name (a repeated name by value).
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const sorted = [...params.entries()].sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB));
  const signed = sorted.reduce((text, [name, value]) => text + name + value, url);
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

/** Whether `given` is the signature Twilio would send for this callback, compared in constant time. */
export function isTwilioSignatureValid(authToken: string, url: string, params: URLSearchParams, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
