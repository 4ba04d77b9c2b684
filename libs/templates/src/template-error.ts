import { LiquidError } from 'liquidjs';
import { isLimitError } from './template-limits';

/** A message template that does not parse, or fails while rendering for a reason other than a missing variable. */
export class TemplateError extends Error {
  constructor(
    message: string,
    /** 1-based position in the template source, when liquidjs knows it. */
    readonly line?: number,
    readonly column?: number,
    /** True when the template was stopped by one of TEMPLATE_LIMITS rather than by a mistake in it. */
    readonly exceedsLimit = false,
  ) {
    super(message);
    this.name = 'TemplateError';
  }

  /** Wraps whatever liquidjs (or a link tracker) threw, keeping liquidjs' "line:1, col:4" message. */
  static from(error: unknown): TemplateError {
    if (error instanceof TemplateError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const position = LiquidError.is(error) ? positionOf(error) : undefined;
    const wrapped = new TemplateError(message, position?.[0], position?.[1], isLimitError(error));
    wrapped.cause = error;
    return wrapped;
  }
}

function positionOf(error: LiquidError): [number, number] | undefined {
  const token: unknown = error.token;
  if (typeof token !== 'object' || token === null || !('getPosition' in token)) return undefined;
  const getPosition = (token as { getPosition: () => [number, number] }).getPosition;
  return getPosition.call(token);
}
