import { IANAZone } from 'luxon';

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** True for a wall-clock time "HH:MM" from 00:00 to 23:59 ("24:00" is not a time of day). */
export function isTimeOfDay(text: unknown): text is string {
  return typeof text === 'string' && TIME_OF_DAY.test(text);
}

/** True for an IANA time zone name such as `Europe/Madrid` (or `UTC`). */
export function isIanaZone(name: unknown): name is string {
  return typeof name === 'string' && IANAZone.isValidZone(name);
}
