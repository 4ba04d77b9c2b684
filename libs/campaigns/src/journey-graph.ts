import { formatPath, type ValidationIssue } from '@nudge/contracts';

/** The parts of a step the journey's shape depends on. */
interface StepLinks {
  id: string;
  type: string;
  next?: string;
  onTimeout?: string;
  default?: string;
  branches?: readonly { next?: string }[];
}

type Problem = { path: (string | number)[]; message: string };

/**
 * Problems with how a journey's steps link up: ids must be unique, and every `next`,
 * `onTimeout`, `default` and branch target must name a *later* step. Journeys only move
 * forward, so every run ends, and a step runs at most once per run — which is what lets a
 * message step's send id be (campaign, trigger event, step).
 */
export function stepGraphProblems(steps: readonly StepLinks[]): Problem[] {
  const problems: Problem[] = [];
  const position = new Map<string, number>();
  steps.forEach((step, index) => {
    if (step.id === '') return; // no id: the schema says so
    if (position.has(step.id)) problems.push({ path: [index, 'id'], message: `"${step.id}" is the id of an earlier step` });
    else position.set(step.id, index);
  });
  const check = (from: number, target: string | undefined, path: (string | number)[]) => {
    if (target === undefined) return;
    const to = position.get(target);
    if (to === undefined)
      problems.push({ path: [from, ...path], message: `names no step: "${target}" (steps: ${[...position.keys()].join(', ')})` });
    else if (to <= from)
      problems.push({
        path: [from, ...path],
        message: `must name a later step: journeys move forward only ("${target}" is step ${to + 1})`,
      });
  };
  steps.forEach((step, index) => {
    check(index, step.next, ['next']);
    check(index, step.onTimeout, ['onTimeout']);
    check(index, step.default, ['default']);
    step.branches?.forEach((branch, b) => check(index, branch.next, ['branches', b, 'next']));
  });
  return problems;
}

/**
 * The same check on a raw document, for when other fields are invalid too (zod then skips its
 * own array-level checks): steps without a usable id or targets that are not strings are left
 * to the schema's own messages.
 */
export function rawStepGraphIssues(document: unknown): ValidationIssue[] {
  const steps = (document as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return [];
  const links = steps.map((step: unknown): StepLinks => {
    const raw = (typeof step === 'object' && step !== null ? step : {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const branches = Array.isArray(raw.branches) ? raw.branches : undefined;
    return {
      id: text(raw.id) ?? '',
      type: text(raw.type) ?? '',
      next: text(raw.next),
      onTimeout: text(raw.onTimeout),
      default: text(raw.default),
      branches: branches?.map((branch: unknown) => ({ next: text((branch as Record<string, unknown> | null)?.next) })),
    };
  });
  return stepGraphProblems(links).map((problem) => ({ path: formatPath(['steps', ...problem.path]), message: problem.message }));
}
