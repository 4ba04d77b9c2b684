import type { Template } from 'liquidjs';
import { messageLiquid } from './message-liquid';
import { TemplateError } from './template-error';

/** A template parsed once, ready to render many times. */
export interface CompiledTemplate {
  readonly source: string;
  /** The liquidjs parse tree; only renderTemplate looks inside. */
  readonly parsed: readonly Template[];
}

/** Parses a Liquid message template, or throws a TemplateError with liquidjs' message and position. */
export function compileTemplate(source: string): CompiledTemplate {
  try {
    return Object.freeze({ source, parsed: messageLiquid.parse(source) });
  } catch (error) {
    throw TemplateError.from(error);
  }
}

/** Null when the template parses; otherwise what is wrong with it, e.g. "undefined filter: nope, line:1, col:4". */
export function validateTemplate(source: string): string | null {
  try {
    compileTemplate(source);
    return null;
  } catch (error) {
    return (error as TemplateError).message;
  }
}
