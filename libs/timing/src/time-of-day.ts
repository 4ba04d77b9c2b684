import { IANAZone } from 'luxon';

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** True for a wall-clock time "HH:MM" from 00:00 to 23:59 ("24:00" is not a time of day). */
export function isTimeOfDay(text: unknown): text is string {
  return typeof text === 'string' && TIME_OF_DAY.test(text);
}

/** Zone names already checked: luxon builds an Intl formatter per check (~40 µs), and sends ask per message. */
const knownZones = new Map<string, boolean>();
const KNOWN_ZONES_KEPT = 2_000;

/** True for an IANA time zone name such as `Europe/Madrid` (or `UTC`). */
export function isIanaZone(name: unknown): name is string {
  if (typeof name !== 'string') return false;
  let valid = knownZones.get(name);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(name);
    if (knownZones.size >= KNOWN_ZONES_KEPT) knownZones.clear();
    knownZones.set(name, valid);
  }
  return valid;
}
