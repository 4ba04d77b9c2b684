import { UndefinedVariableError, type Template } from 'liquidjs';
import type { CompiledTemplate } from './compile-template';
import { LINK_TRACKER, oncePerUrl, type LinkTracker, type TrackingGlobals } from './link-tracking';
import { messageLiquid } from './message-liquid';
import { withNullAt } from './missing-variables';
import { TemplateError } from './template-error';

/** What a message template sees. */
export interface TemplateScope {
  event: object;
  profile: object;
  campaign: object;
}

export interface RenderOptions {
  /** Makes `| track` links for this render; without one, `| track` leaves the url as it is. */
  track?: LinkTracker;
}

export interface RenderedTemplate {
  text: string;
  /** Variables the template printed or looped over that the scope lacks, e.g. `profile.attributes.firstName`. */
  missingVariables: string[];
}

/** Enough for any real message; bounds the re-renders a template full of typos can cause. */
const MAX_REPORTED_MISSING = 50;

/**
 * Renders a compiled template. A missing variable renders empty and is reported by name, so the
 * caller can warn; `if` tests and `| default` may read absent values without being reported.
 * Any other failure (e.g. the link tracker rejecting) throws a TemplateError.
 *
 * Missing variables are found with liquidjs' own notion of "undefined": the template is rendered
 * with strictVariables; each undefined variable it stops at is recorded and set to nil (which
 * renders exactly like an absent value) in a copy of the scope, and the render retried. A template
 * with nothing missing, the usual case, renders once.
 */
export async function renderTemplate(
  compiled: CompiledTemplate,
  scope: TemplateScope,
  options: RenderOptions = {},
): Promise<RenderedTemplate> {
  const globals: TrackingGlobals = options.track ? { [LINK_TRACKER]: oncePerUrl(options.track) } : {};
  const templates = compiled.parsed as Template[];
  const missingVariables: string[] = [];
  // Liquid's increment/decrement write into the scope object it renders, so each render gets a fresh top level.
  let probeScope: object = scope;
  while (missingVariables.length < MAX_REPORTED_MISSING) {
    try {
      const text = await render(templates, { ...probeScope }, globals, true);
      if (missingVariables.length === 0) return { text, missingVariables };
      break;
    } catch (error) {
      const name = undefinedVariableName(error);
      if (name === undefined) throw TemplateError.from(error);
      if (missingVariables.includes(name)) break;
      missingVariables.push(name);
      const next = withNullAt(probeScope, name.split('.'));
      if (next === undefined) break;
      probeScope = next;
    }
  }
  // The text comes from a plain (non-strict) render of the caller's scope, so probing can never change what is sent.
  const text = await render(templates, { ...scope }, globals, false);
  return { text, missingVariables };
}

async function render(templates: Template[], scope: object, globals: TrackingGlobals, strictVariables: boolean): Promise<string> {
  try {
    return String(await messageLiquid.render(templates, scope, { globals, strictVariables }));
  } catch (error) {
    if (strictVariables && error instanceof UndefinedVariableError) throw error;
    throw TemplateError.from(error);
  }
}

function undefinedVariableName(error: unknown): string | undefined {
  if (!(error instanceof UndefinedVariableError)) return undefined;
  const original = (error as { originalError?: { variableName?: unknown } }).originalError;
  return typeof original?.variableName === 'string' ? original.variableName : undefined;
}
