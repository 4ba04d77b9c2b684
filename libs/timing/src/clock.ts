import { addIsoDuration } from './iso-duration';

/** Where "now" comes from: injected everywhere so decisions are repeatable in tests. */
export interface Clock {
  now(): Date;
}

/** The wall clock; the only place in the pure libraries that reads real time. */
export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that only moves when a test moves it. */
export class ManualClock implements Clock {
  private current: Date;

  constructor(start: string | Date) {
    this.current = toInstant(start);
  }

  /** A fresh Date each call, so a caller mutating it cannot move the clock. */
  now(): Date {
    return new Date(this.current.getTime());
  }

  /** Jumps to an instant (ISO-8601 date-time or Date). */
  set(at: string | Date): void {
    this.current = toInstant(at);
  }

  /** Moves forward by an ISO-8601 duration (calendar-aware, UTC) or a number of milliseconds. */
  advance(by: string | number): void {
    this.current = typeof by === 'number' ? new Date(this.current.getTime() + by) : addIsoDuration(this.current, by);
  }
}

function toInstant(at: string | Date): Date {
  const instant = new Date(typeof at === 'string' ? at : at.getTime());
  if (Number.isNaN(instant.getTime())) throw new Error(`"${String(at)}" is not a valid date-time`);
  return instant;
}
