import type { ValidationIssue } from '@nudge/contracts';

/**
 * A campaign sends one message (`message`, after `delay`) or runs a journey (`steps`, timed by
 * its own wait steps): exactly one of the two. Works on the raw document too, so the problem is
 * reported even when other fields are invalid.
 */
export function messageOrStepsIssues(document: unknown): ValidationIssue[] {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return [];
  const has = (key: string) => (document as Record<string, unknown>)[key] !== undefined;
  if (!has('message') && !has('steps')) {
    return [{ path: 'message', message: 'Required: a campaign needs either message (one message) or steps (a journey)' }];
  }
  const issues: ValidationIssue[] = [];
  if (has('message') && has('steps'))
    issues.push({ path: 'steps', message: 'must not be given with message: a campaign is either one message or a journey' });
  if (has('steps') && has('delay'))
    issues.push({ path: 'delay', message: 'applies to one-message campaigns; a journey waits with wait steps' });
  if (has('concurrentRuns') && !has('steps'))
    issues.push({
      path: 'concurrentRuns',
      message: 'applies to journeys (steps); a one-message campaign limits repeats with reEligibility',
    });
  return issues;
}
