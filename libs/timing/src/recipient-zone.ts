import { isIanaZone } from './time-of-day';

/**
 * The zone a recipient's local time is read in: the window's own zone when it names one, else
 * the profile's zone when it is a real IANA zone, else the settings' default.
 * `windowZone` is `'recipient'`, an IANA zone, or undefined (same as `'recipient'`).
 */
export function resolveZone(profileTimezone: string | undefined, windowZone: string | undefined, defaultZone: string): string {
  if (windowZone !== undefined && windowZone !== 'recipient') {
    if (!isIanaZone(windowZone)) throw new Error(`time window zone "${windowZone}" is neither "recipient" nor an IANA time zone`);
    return windowZone;
  }
  // Profiles are user data: a zone we cannot read falls back to the default rather than failing the send.
  if (isIanaZone(profileTimezone)) return profileTimezone;
  if (!isIanaZone(defaultZone)) throw new Error(`default time zone "${defaultZone}" is not an IANA time zone`);
  return defaultZone;
}
