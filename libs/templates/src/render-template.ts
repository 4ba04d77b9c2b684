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
  const tracker = options.track ? oncePerUrl(options.track) : undefined;
  const templates = compiled.parsed as Template[];
  const missingVariables: string[] = [];
  let probeScope: object = scope;
  while (missingVariables.length < MAX_REPORTED_MISSING) {
    try {
      const text = await render(templates, probeScope, tracker, true);
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
  const text = await render(templates, scope, tracker, false);
  return { text, missingVariables };
}

/**
 * One render, synchronous unless the tracker answers a link only later (a promise): liquidjs'
 * async render costs a promise per tag and output, most of a message's render time. Such a
 * render is then done again asynchronously, whatever the sync one made of it; `oncePerUrl`
 * hands the second render the links the first asked for, so the tracker is still called once.
 */
async function render(templates: Template[], scope: object, tracker: LinkTracker | undefined, strictVariables: boolean): Promise<string> {
  let answeredLater = false;
  const syncTracker: LinkTracker | undefined =
    tracker &&
    ((url) => {
      const link = tracker(url);
      if (typeof link === 'string') return link;
      answeredLater = true;
      // Awaited by the async render; until then a rejection is not unhandled.
      link.catch(() => undefined);
      return '';
    });
  try {
    const text = renderWith(templates, scope, syncTracker, strictVariables, 'sync');
    if (!answeredLater) return text;
  } catch (error) {
    if (!answeredLater) throw error;
  }
  return await renderWith(templates, scope, tracker, strictVariables, 'async');
}

/** Liquid's increment/decrement write into the scope object it renders, so each render gets a fresh top level. */
function renderWith(templates: Template[], scope: object, tracker: LinkTracker | undefined, strictVariables: boolean, mode: 'sync'): string;
function renderWith(
  templates: Template[],
  scope: object,
  tracker: LinkTracker | undefined,
  strictVariables: boolean,
  mode: 'async',
): Promise<string>;
function renderWith(
  templates: Template[],
  scope: object,
  tracker: LinkTracker | undefined,
  strictVariables: boolean,
  mode: 'sync' | 'async',
): string | Promise<string> {
  const globals: TrackingGlobals = tracker ? { [LINK_TRACKER]: tracker } : {};
  const options = { globals, strictVariables };
  const failed = (error: unknown): never => {
    if (strictVariables && error instanceof UndefinedVariableError) throw error;
    throw TemplateError.from(error);
  };
  if (mode === 'async') return messageLiquid.render(templates, { ...scope }, options).then(String, failed);
  try {
    return String(messageLiquid.renderSync(templates, { ...scope }, options));
  } catch (error) {
    return failed(error);
  }
}

function undefinedVariableName(error: unknown): string | undefined {
  if (!(error instanceof UndefinedVariableError)) return undefined;
  const original = (error as { originalError?: { variableName?: unknown } }).originalError;
  return typeof original?.variableName === 'string' ? original.variableName : undefined;
}
