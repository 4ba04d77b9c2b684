import type { Channel } from '@nudge/contracts';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Channels whose addresses are phone numbers, kept in E.164 (`+34600000001`). Viber and Telegram use their own ids. */
export const PHONE_CHANNELS: readonly Channel[] = ['sms', 'rcs', 'whatsapp'];

/** Whether `channel` addresses recipients by phone number. */
export function isPhoneChannel(channel: Channel): boolean {
  return PHONE_CHANNELS.includes(channel);
}

export type PhoneNumberVerdict = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * Normalises a phone number to E.164 with full validation (number length and ranges per
 * country). A number without a country code is read in `defaultRegion` (the recipient's
 * country, ISO-3166 alpha-2) when one is given.
 */
export function toE164(raw: string, defaultRegion?: string): PhoneNumberVerdict {
  if (raw.length > LONGEST_REMEMBERED) return parseE164(raw, defaultRegion);
  const key = `${defaultRegion ?? ''} ${raw}`;
  let verdict = recentVerdicts.get(key);
  if (verdict === undefined) {
    verdict = Object.freeze(parseE164(raw, defaultRegion));
    if (recentVerdicts.size >= VERDICTS_KEPT) recentVerdicts.clear();
    recentVerdicts.set(key, verdict);
  }
  return verdict;
}

/**
 * Verdicts already reached, by region and number: the same recipients come back send after
 * send, and parsing with full metadata costs ~8 µs. Bounded, and only for strings a phone
 * number could be, so no input can make it grow without end.
 */
const recentVerdicts = new Map<string, PhoneNumberVerdict>();
const VERDICTS_KEPT = 10_000;
const LONGEST_REMEMBERED = 40;

function parseE164(raw: string, defaultRegion: string | undefined): PhoneNumberVerdict {
  const region = defaultRegion !== undefined && isSupportedCountry(defaultRegion) ? defaultRegion : undefined;
  const parsed = parsePhoneNumberFromString(raw, region);
  if (parsed?.isValid()) return { ok: true, e164: parsed.number };
  return { ok: false, reason: `invalid phone number "${raw}": ${whyInvalid(raw, region)}` };
}

/**
 * A sender's address as we store recipients, so a reply finds the messages sent to it:
 * on phone channels E.164 when the provider's form can be read as one (some drop the `+`,
 * Twilio prefixes `whatsapp:`), otherwise the address as given.
 */
export function senderAddress(channel: Channel, from: string): string {
  const trimmed = from.trim();
  if (!isPhoneChannel(channel)) return trimmed;
  const number = trimmed.replace(/^(?:whatsapp|rcs|sms|tel):/i, '');
  const direct = toE164(number);
  if (direct.ok) return direct.e164;
  const withPlus = /^\d{6,15}$/.test(number) ? toE164(`+${number}`) : direct;
  return withPlus.ok ? withPlus.e164 : trimmed;
}

function whyInvalid(raw: string, region: string | undefined): string {
  if (!/\d/.test(raw)) return 'it has no digits';
  if (!raw.trim().startsWith('+') && region === undefined) return 'it has no country code and the recipient has no country to assume';
  return region === undefined ? 'not a valid number' : `not a valid number (read in ${region})`;
}
