import type { EventEnvelope, Profile } from '@nudge/contracts';
import { Engine, type TopLevelCondition } from 'json-rules-engine';
import type { ConditionTree } from './condition-tree';
import { parseJsonPath, resolveJsonPath, type JsonPathStep } from './json-path';
import { withinRadiusOperator } from './within-radius';

/** What trigger conditions are evaluated against: the json-rules-engine facts `event` and `profile`. */
export interface TriggerFacts {
  event: EventEnvelope;
  profile: Profile;
}

export type TriggerMatcher = (facts: TriggerFacts) => Promise<boolean>;

/** What a journey's branch is evaluated against: the trigger, the profile and the run's history. */
export interface BranchFacts extends TriggerFacts {
  journey: unknown;
}

export type BranchMatcher = (facts: BranchFacts) => Promise<boolean>;

const CONDITIONS_MET = { type: 'trigger-conditions-met' };

/**
 * Builds, once, the json-rules-engine Engine for a campaign's conditions and returns the
 * function that runs it. No conditions: every trigger event matches, without an engine.
 * Paths are resolved by our own plain-path resolver, parsed here once (see json-path.ts), never
 * by json-rules-engine's default JSONPath engine, which evaluates filter scripts.
 */
export function compileTriggerConditions(tree: ConditionTree | undefined): TriggerMatcher {
  return compileConditions(tree);
}

/** The same for a journey branch's `when`, which may also test the `journey` fact. */
export function compileBranchConditions(tree: ConditionTree): BranchMatcher {
  return compileConditions(tree);
}

function compileConditions<Facts extends object>(tree: ConditionTree | undefined): (facts: Facts) => Promise<boolean> {
  if (tree === undefined) return async () => true;
  const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: plainPathResolver(tree) });
  engine.addOperator(withinRadiusOperator);
  engine.addRule({ conditions: asTopLevel(tree), event: CONDITIONS_MET });
  const exclusive = oneRunAtATime();
  return (facts) =>
    exclusive(async () => {
      const { events } = await engine.run({ ...facts });
      return events.length > 0;
    });
}

/**
 * json-rules-engine's `pathResolver` for the paths of `tree`, each parsed now. A path the tree
 * does not hold, or that is not plain (a tree compiled without validation), fails that run.
 */
function plainPathResolver(tree: ConditionTree): (value: object, path: string) => unknown {
  const parsed = new Map<string, readonly JsonPathStep[]>();
  for (const path of pathsIn(tree)) {
    const result = parseJsonPath(path);
    if (result.ok) parsed.set(path, result.steps);
  }
  return (value, path) => {
    const steps = parsed.get(path);
    if (steps === undefined) throw new Error(`condition path ${JSON.stringify(path)} is not a plain JSON path`);
    return resolveJsonPath(value, steps);
  };
}

/** Every `path` of a condition tree: its tests' and those of the facts their values refer to. */
function pathsIn(node: unknown): string[] {
  if (typeof node !== 'object' || node === null) return [];
  if (Array.isArray(node)) return node.flatMap(pathsIn);
  const record = node as Record<string, unknown>;
  const own = typeof record.path === 'string' ? [record.path] : [];
  return [...own, ...['all', 'any', 'not', 'value'].flatMap((key) => pathsIn(record[key]))];
}

/** json-rules-engine wants all/any/not at the root; a single test is accepted and wrapped. */
function asTopLevel(tree: ConditionTree): TopLevelCondition {
  return ('all' in tree || 'any' in tree || 'not' in tree ? tree : { all: [tree] }) as TopLevelCondition;
}

/**
 * json-rules-engine 7 keeps a run's status on the Engine itself: a run that finishes marks the
 * engine FINISHED, and a run whose rules have not started yet then skips them and reports no
 * match (about 4 in 10 overlapping runs did, measured). One engine per campaign is kept, so its
 * runs are queued; they hold no I/O, so the queue costs ordering, not throughput.
 */
function oneRunAtATime(): <T>(job: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (job) => {
    const result = tail.then(job);
    tail = result.catch(() => undefined);
    return result;
  };
}
