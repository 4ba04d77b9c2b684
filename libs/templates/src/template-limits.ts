import { AssertionError } from 'liquidjs';

/**
 * What one message template may cost. A real message (an SMS, a push, an email of a few
 * kilobytes of HTML looping over a cart) parses in well under a millisecond, renders in a
 * millisecond or two and allocates some thousands of characters; these limits are one to three
 * orders of magnitude above that, and stop a template written to hurt the engine (a loop over
 * `(1..100000000)`, nested loops, a string doubled by `append` or `capture`) within a fraction of
 * a second, failing that one message and nothing else.
 */
export const TEMPLATE_LIMITS = Object.freeze({
  /** A template's source, in UTF-8 bytes, checked at campaign validation: 16 KiB. */
  sourceBytes: 16 * 1024,
  /**
   * liquidjs `parseLimit`, in characters (UTF-16 code units) per parse. A source within
   * `sourceBytes` has at most that many code units, so whatever passed validation parses; a
   * larger body reaching dispatch by another road (a record produced straight to the topic)
   * fails to parse instead of being tokenised.
   */
  parseCharacters: 16 * 1024,
  /**
   * liquidjs `renderLimit`, in milliseconds of wall-clock time, shared by every render one
   * `renderTemplate` call makes (finding missing variables may render more than once). A real
   * message renders in a millisecond or two, some tens with many missing variables; wall-clock
   * time also counts garbage collection and a busy machine, so the limit is far above that: a
   * legitimate message must never fail because dispatch was under load. Loop bombs over ranges
   * are mostly stopped sooner, and deterministically, by `memoryUnits`.
   */
  renderMilliseconds: 1000,
  /**
   * After this many renders of one compiled template in a row ran out of time (in this process),
   * with no render of it finishing in between, it is a render-time bomb for the data it is
   * given: from then on it gets `renderMillisecondsAfterTimeouts`, so a flood of such messages
   * costs dispatch 25 ms each and a batch of 500 finishes well inside Kafka's 30 s session
   * timeout. One slow render under load never does this, and any render that finishes gives the
   * template its full budget back.
   */
  timeoutsBeforeShortBudget: 3,
  /** The time budget of a compiled template after `timeoutsBeforeShortBudget` timeouts in a row. */
  renderMillisecondsAfterTimeouts: 25,
  /**
   * liquidjs `memoryLimit`, per render: its unit is roughly one allocated element or character
   * (a range's length, the strings `append`, `join`, `upcase`… build). Two million is some
   * megabytes, against some thousands for a real message.
   */
  memoryUnits: 2_000_000,
  /** The rendered text, in characters: 256 Ki, above any provider's maximum (email included). */
  renderedCharacters: 256 * 1024,
});

/** The message a render stopped by `renderedCharacters` fails with, in liquidjs' wording of its own limits. */
export const RENDERED_TEXT_LIMIT_MESSAGE = 'rendered text limit exceeded';

/** liquidjs' message when `renderLimit` stops a render. */
export const RENDER_TIME_LIMIT_MESSAGE = 'template render limit exceeded';

/**
 * Whether a liquidjs failure, or what it wraps, is one of the limits above (or the engine's own
 * ceiling on string length, which a doubling `capture` reaches before the memory limit sees it).
 */
export function isLimitError(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 8; depth++) {
    if (cause instanceof AssertionError && cause.message.includes('limit exceeded')) return true;
    if (cause instanceof RangeError && cause.message.includes('Invalid string length')) return true;
    cause = (cause as { originalError?: unknown }).originalError ?? cause.cause;
  }
  return false;
}
