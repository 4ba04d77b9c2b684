import { ManualClock, systemClock, type Clock } from '@nudge/timing';

/**
 * Puts the services of this test file's stack on a clock the test moves. Rules and dispatch
 * read time only through the `Clock` they are given (`CLOCK`, which is `systemClock`); this
 * makes `systemClock` read a ManualClock until `release()`. Jest gives each test file its own
 * module registry, so no other file's stack is touched. Kafka, Postgres and the poll loops keep
 * real time: only what the services decide with moves.
 */
export function takeOverStackClock(start: string): ManualClock & { release(): void } {
  const clock = new ManualClock(start);
  const reading = systemClock as { now: Clock['now'] };
  const original = reading.now;
  reading.now = () => clock.now();
  return Object.assign(clock, {
    release: () => {
      reading.now = original;
    },
  });
}
