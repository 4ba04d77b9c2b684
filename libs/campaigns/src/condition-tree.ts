import type { ValidationIssue } from '@nudge/contracts';
import { formatPath } from '@nudge/contracts';
import { parseJsonPath } from './json-path';
import { isGeoPoint } from './within-radius';

/** What a condition can test: the trigger event or the recipient's profile. */
export const CONDITION_FACTS = ['event', 'profile'] as const;
/** A journey's branch may also test the run's own history (`$.steps.welcome.clicked`). */
export const BRANCH_FACTS = ['event', 'profile', 'journey'] as const;
export type ConditionFact = (typeof BRANCH_FACTS)[number];

/** json-rules-engine's built-in operators plus our geofence. */
export const CONDITION_OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'withinRadius',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** One test: `{ fact: event, path: $.properties.cartValue, operator: greaterThan, value: 100 }`. */
export interface ConditionLeaf {
  fact: ConditionFact;
  operator: ConditionOperator;
  value: unknown;
  /** A plain JSON path into the fact (see json-path.ts), e.g. `$.properties.cartValue` or `$.attributes.tier`. */
  path?: string;
}

/** A json-rules-engine condition tree over the `event` and `profile` facts. */
export type ConditionTree = { all: ConditionTree[] } | { any: ConditionTree[] } | { not: ConditionTree } | ConditionLeaf;

const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;
const LEAF_KEYS = ['fact', 'operator', 'value', 'path'];
const NUMERIC_OPERATORS: readonly string[] = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
const LIST_OPERATORS: readonly string[] = ['in', 'notIn'];

export type Path = (string | number)[];

/** Every problem in a condition tree, each at its path below `at` (e.g. `trigger.conditions.all[0].operator`). */
export function conditionIssues(tree: unknown, at: Path = [], facts: readonly string[] = CONDITION_FACTS): ValidationIssue[] {
  return conditionProblems(tree, facts).map((problem) => ({ path: formatPath([...at, ...problem.path]), message: problem.message }));
}

/** The same problems with their paths as segments, for zod to place under its own path. */
export function conditionProblems(tree: unknown, facts: readonly string[] = CONDITION_FACTS): { path: Path; message: string }[] {
  const problems: { path: Path; message: string }[] = [];
  const report: Report = (path, message) => problems.push({ path, message });
  visit(tree, [], { report, facts });
  return problems;
}

/** Where problems go, and which facts a condition may name. */
interface Visit {
  report: (path: Path, message: string) => void;
  facts: readonly string[];
}
type Report = Visit['report'];

function visit(node: unknown, path: Path, visiting: Visit): void {
  const { report } = visiting;
  if (!isRecord(node))
    return report(path, 'must be a condition: { all: [...] }, { any: [...] }, { not: {...} } or { fact, operator, value }');
  const booleans = BOOLEAN_KEYS.filter((key) => key in node);
  if (booleans.length === 0) return visitLeaf(node, path, visiting);
  if (booleans.length > 1) return report(path, `must hold exactly one of all, any or not, found ${booleans.join(' and ')}`);
  const key = booleans[0] as (typeof BOOLEAN_KEYS)[number];
  for (const other of Object.keys(node)) if (other !== key) report([...path, other], `unknown field next to "${key}"`);
  const children = node[key];
  if (key === 'not') return visit(children, [...path, key], visiting);
  if (!Array.isArray(children) || children.length === 0) return report([...path, key], 'must be a non-empty list of conditions');
  children.forEach((child, index) => visit(child, [...path, key, index], visiting));
}

function visitLeaf(leaf: Record<string, unknown>, path: Path, { report, facts }: Visit): void {
  for (const key of Object.keys(leaf)) if (!LEAF_KEYS.includes(key)) report([...path, key], 'unknown field');
  if (!isOneOf(leaf.fact, facts))
    report([...path, 'fact'], `must be ${facts.map((f) => `"${f}"`).join(' or ')}, got ${describe(leaf.fact)}`);
  if (!isOneOf(leaf.operator, CONDITION_OPERATORS)) {
    report([...path, 'operator'], `unknown operator ${describe(leaf.operator)}; expected one of ${CONDITION_OPERATORS.join(', ')}`);
  }
  if ('path' in leaf) visitPath(leaf.path, [...path, 'path'], report);
  if (!('value' in leaf)) return report([...path, 'value'], 'Required');
  if (typeof leaf.operator === 'string') visitValue(leaf.operator, leaf.value, [...path, 'value'], { report, facts });
}

function visitValue(operator: string, value: unknown, path: Path, { report, facts }: Visit): void {
  if (operator === 'withinRadius') return visitCircle(value, path, report);
  if (isFactReference(value, facts)) {
    if ('path' in value) visitPath(value.path, [...path, 'path'], report);
    return;
  }
  if (NUMERIC_OPERATORS.includes(operator) && !(typeof value === 'number' && Number.isFinite(value))) {
    report(path, `must be a number for ${operator}`);
  }
  if (LIST_OPERATORS.includes(operator) && !Array.isArray(value)) report(path, `must be a list for ${operator}`);
}

function visitCircle(value: unknown, path: Path, report: Report): void {
  if (!isRecord(value)) return report(path, 'must be { lat, lon, meters } for withinRadius');
  for (const key of Object.keys(value)) if (!['lat', 'lon', 'meters'].includes(key)) report([...path, key], 'unknown field');
  const { lat, lon, meters } = value;
  if (!isGeoPoint({ lat, lon: 0 })) report([...path, 'lat'], 'must be a latitude from -90 to 90');
  if (!isGeoPoint({ lat: 0, lon })) report([...path, 'lon'], 'must be a longitude from -180 to 180');
  if (!(typeof meters === 'number' && Number.isFinite(meters) && meters > 0))
    report([...path, 'meters'], 'must be a number of meters above 0');
}

function visitPath(value: unknown, path: Path, report: Report): void {
  const parsed = parseJsonPath(value);
  if (!parsed.ok)
    report(path, `must be a plain JSON path such as $.properties.cartValue, $.items[0].sku or $['odd key']; ${parsed.reason}`);
}

/** json-rules-engine compares against another fact when the value is `{ fact, path? }`. */
function isFactReference(value: unknown, facts: readonly string[]): value is Record<string, unknown> {
  return isRecord(value) && isOneOf(value.fact, facts) && Object.keys(value).every((key) => key === 'fact' || key === 'path');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
