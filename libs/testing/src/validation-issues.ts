import { ValidationError, type ValidationIssue } from '@nudge/contracts';

/**
 * The details of the ValidationError `work` throws (each a field's path and what is wrong with
 * it); any other error is rethrown, and no error at all fails the test.
 */
export function validationIssuesOf(work: () => unknown): ValidationIssue[] {
  try {
    work();
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

/** The paths the ValidationError `work` throws names (`batch[3].event`). */
export function validationPathsOf(work: () => unknown): string[] {
  return validationIssuesOf(work).map((issue) => issue.path);
}
