import type { CompiledTemplate } from './compiled-template';
import { messageLiquid } from './message-liquid';
import { limitExceededWithoutScope } from './render-template';
import { TemplateError } from './template-error';
import { TEMPLATE_LIMITS } from './template-limits';

/**
 * Parses a Liquid message template, or throws a TemplateError with liquidjs' message and
 * position; a source longer than liquidjs' parseLimit is refused before it is tokenised.
 */
export function compileTemplate(source: string): CompiledTemplate {
  try {
    return Object.freeze({ source, parsed: messageLiquid.parse(source) });
  } catch (error) {
    throw TemplateError.from(error);
  }
}

/** Verdicts of recent validations by source: a document revalidated (a file reloaded, a client retrying a bomb) costs nothing twice. */
const recentVerdicts = new Map<string, string | null>();
const RECENT_VERDICTS = 256;

/**
 * Null when the template can be sent; otherwise what is wrong with it, e.g. "undefined filter:
 * nope, line:1, col:4": a source over TEMPLATE_LIMITS.sourceBytes (UTF-8), a parse error, or a
 * template that exceeds a render limit even for a recipient about whom nothing is known (a loop
 * over `(1..100000000)`). One whose loop bound comes from the event passes, and is stopped at
 * render time instead.
 */
export function validateTemplate(source: string): string | null {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > TEMPLATE_LIMITS.sourceBytes) return `must be at most ${TEMPLATE_LIMITS.sourceBytes} bytes (UTF-8), got ${bytes}`;
  const known = recentVerdicts.get(source);
  if (known !== undefined) return known;
  const verdict = verdictOn(source);
  recentVerdicts.set(source, verdict);
  if (recentVerdicts.size > RECENT_VERDICTS) recentVerdicts.delete(recentVerdicts.keys().next().value as string);
  return verdict;
}

function verdictOn(source: string): string | null {
  try {
    return limitExceededWithoutScope(compileTemplate(source));
  } catch (error) {
    return (error as TemplateError).message;
  }
}
