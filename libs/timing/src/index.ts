export type { Clock } from './clock';
export { ManualClock, systemClock } from './clock';
export { addIsoDuration, durationToMillis, isIsoDuration, parseIsoDuration } from './iso-duration';
export { isIanaZone, isTimeOfDay } from './time-of-day';
