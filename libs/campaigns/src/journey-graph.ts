/** The parts of a step the journey's shape depends on. */
interface StepLinks {
  id: string;
  type: string;
  next?: string;
  onTimeout?: string;
  default?: string;
  branches?: readonly { next: string }[];
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
