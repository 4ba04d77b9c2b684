import { performance } from 'node:perf_hooks';
import { Context, toPromise, toValueSync, UndefinedVariableError, type Template } from 'liquidjs';
import type { CompiledTemplate } from './compiled-template';
import { LINK_TRACKER, oncePerUrl, type LinkTracker, type TrackingGlobals } from './link-tracking';
import { messageLiquid } from './message-liquid';
import { withNullAt } from './missing-variables';
import { BoundedText } from './bounded-text';
import { RENDER_TIME_LIMIT_MESSAGE, TEMPLATE_LIMITS } from './template-limits';
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

/** How many renders in a row of each compiled template ran out of time (absent: its last render finished). */
const timeoutsInARow = new WeakMap<CompiledTemplate, number>();

/**
 * Renders a compiled template. A missing variable renders empty and is reported by name, so the
 * caller can warn; `if` tests and `| default` may read absent values without being reported.
 * Any other failure (e.g. the link tracker rejecting) throws a TemplateError, and so does a
 * render that exceeds TEMPLATE_LIMITS (`exceedsLimit` set): all renders of one call share one
 * time budget (much shorter for a compiled template whose last renders all ran out of time), each has
 * the memory budget, and the text stops growing at its maximum length.
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
  const shortBudget = (timeoutsInARow.get(compiled) ?? 0) >= TEMPLATE_LIMITS.timeoutsBeforeShortBudget;
  const time: RenderTime = {
    leftMs: shortBudget ? TEMPLATE_LIMITS.renderMillisecondsAfterTimeouts : TEMPLATE_LIMITS.renderMilliseconds,
  };
  // Counted as the render fails, synchronously: renders started together (Promise.all) each run up to their first await.
  const onTimeout = () => timeoutsInARow.set(compiled, (timeoutsInARow.get(compiled) ?? 0) + 1);
  const render = (inScope: object, strictVariables: boolean) =>
    renderOnce(templates, inScope, tracker, { strictVariables, time, onTimeout });
  const missingVariables: string[] = [];
  let probeScope: object = scope;
  while (missingVariables.length < MAX_REPORTED_MISSING) {
    try {
      const text = await render(probeScope, true);
      timeoutsInARow.delete(compiled);
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
  const text = await render(scope, false);
  timeoutsInARow.delete(compiled);
  return { text, missingVariables };
}

/**
 * Null when the template renders within TEMPLATE_LIMITS for a recipient about whom nothing is
 * known (empty event, profile and campaign); otherwise the limit it exceeds. Such a template
 * would exceed it for every recipient, so validation refuses it. Other failures (a filter given
 * a value it cannot take) are left to the send, where the real scope may well avoid them.
 */
export function limitExceededWithoutScope(compiled: CompiledTemplate): string | null {
  try {
    renderWith(
      compiled.parsed as Template[],
      { event: {}, profile: {}, campaign: {} },
      undefined,
      { strictVariables: false, time: { leftMs: TEMPLATE_LIMITS.renderMilliseconds } },
      'sync',
    );
    return null;
  } catch (error) {
    const wrapped = TemplateError.from(error);
    return wrapped.exceedsLimit ? wrapped.message : null;
  }
}

/**
 * The render time one `renderTemplate` call has left. Only the time its own renders take is
 * spent: calls started together (a batch composed with Promise.all) interleave between their
 * renders, and the time one waits for the others is not its own.
 */
interface RenderTime {
  leftMs: number;
}

interface RenderLimits {
  strictVariables: boolean;
  /** The time the renders of one call may still use; each render spends from it. */
  time: RenderTime;
  /** Called, synchronously, when the render runs out of time. */
  onTimeout?: () => void;
}

/**
 * One render, synchronous unless the tracker answers a link only later (a promise): liquidjs'
 * async render costs a promise per tag and output, most of a message's render time. Such a
 * render is then done again asynchronously, whatever the sync one made of it; `oncePerUrl`
 * hands the second render the links the first asked for, so the tracker is still called once.
 */
async function renderOnce(templates: Template[], scope: object, tracker: LinkTracker | undefined, limits: RenderLimits): Promise<string> {
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
    const text = renderWith(templates, scope, syncTracker, limits, 'sync');
    if (!answeredLater) return text;
  } catch (error) {
    if (!answeredLater) throw error;
  }
  return await renderWith(templates, scope, tracker, limits, 'async');
}

/**
 * Liquid's increment/decrement write into the scope object it renders, so each render gets a
 * fresh top level. liquidjs' own render entry points are bypassed only to hand the renderer a
 * BoundedText in place of its unbounded output buffer.
 */
function renderWith(templates: Template[], scope: object, tracker: LinkTracker | undefined, limits: RenderLimits, mode: 'sync'): string;
function renderWith(
  templates: Template[],
  scope: object,
  tracker: LinkTracker | undefined,
  limits: RenderLimits,
  mode: 'async',
): Promise<string>;
function renderWith(
  templates: Template[],
  scope: object,
  tracker: LinkTracker | undefined,
  { strictVariables, time, onTimeout }: RenderLimits,
  mode: 'sync' | 'async',
): string | Promise<string> {
  const globals: TrackingGlobals = tracker ? { [LINK_TRACKER]: tracker } : {};
  const renderLimit = Math.max(0, time.leftMs);
  const started = performance.now();
  const spend = () => {
    time.leftMs -= performance.now() - started;
  };
  const context = new Context(
    { ...scope },
    messageLiquid.options,
    { globals, strictVariables, renderLimit, sync: mode === 'sync' },
    {
      liquid: messageLiquid,
    },
  );
  const output = new BoundedText(TEMPLATE_LIMITS.renderedCharacters);
  const failed = (error: unknown): never => {
    if (strictVariables && error instanceof UndefinedVariableError) throw error;
    const wrapped = TemplateError.from(error);
    if (wrapped.message.startsWith(RENDER_TIME_LIMIT_MESSAGE)) onTimeout?.();
    throw wrapped;
  };
  try {
    const rendering = messageLiquid.renderer.renderTemplates(templates, context, output);
    if (mode === 'async')
      return toPromise(rendering)
        .then(() => output.buffer, failed)
        .finally(spend);
    withoutStackTraces(strictVariables, () => toValueSync(rendering));
    spend();
    return output.buffer;
  } catch (error) {
    spend();
    return failed(error);
  }
}

/**
 * Runs a synchronous render; a probing (strict) one without capturing stack traces. Each
 * missing variable a probe stops at is a thrown UndefinedVariableError, and liquidjs formats
 * the stack of every error it wraps: with a variable missing for every recipient (a
 * `firstName` few profiles have), capturing and formatting those stacks cost more than the
 * renders themselves. Nothing reads them: the variable's name is what the probe wants, and
 * the message of any other error is what its TemplateError keeps.
 */
function withoutStackTraces<T>(probing: boolean, render: () => T): T {
  if (!probing) return render();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return render();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function undefinedVariableName(error: unknown): string | undefined {
  if (!(error instanceof UndefinedVariableError)) return undefined;
  const original = (error as { originalError?: { variableName?: unknown } }).originalError;
  return typeof original?.variableName === 'string' ? original.variableName : undefined;
}
