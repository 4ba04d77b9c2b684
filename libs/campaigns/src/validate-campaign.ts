import { issuesFromZod, type ValidationIssue } from '@nudge/contracts';
import type { ZodIssue } from 'zod';
import { campaignSchema, type CampaignDocument } from './campaign.schema';
import { rawStepGraphIssues } from './journey-graph';
import { messageOrStepsIssues } from './message-or-steps';

export type CampaignValidation = { ok: true; campaign: CampaignDocument } | { ok: false; errors: ValidationIssue[] };

/**
 * Checks a campaign document (already parsed from YAML/JSON) for shape and meaning: durations,
 * times of day, schedule order, templates, conditions. Never throws: every problem comes back
 * with its path, e.g. `trigger.conditions.all[0].operator`, `message.body`, `frequencyCaps[1].per`.
 */
export function validateCampaign(document: unknown): CampaignValidation {
  const parsed = campaignSchema.safeParse(document);
  if (parsed.success) return { ok: true, campaign: parsed.data };
  // zod skips whole-document and whole-list checks once a field is invalid; these are worth saying at once.
  const errors = [...readableCampaignIssues(parsed.error.issues), ...messageOrStepsIssues(document), ...rawStepGraphIssues(document)];
  return { ok: false, errors: withoutDuplicates(errors) };
}

/** zod's issues for a document built from the campaign's field schemas, with paths a person reads. */
export function readableCampaignIssues(issues: readonly ZodIssue[]): ValidationIssue[] {
  return issuesFromZod(issues.flatMap(readableIssues));
}

/** Our reading of zod's issues: one issue per unknown key, at the key; the relevant branch of a union. */
function readableIssues(issue: ZodIssue): ZodIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ ...issue, path: [...issue.path, key], message: 'unknown field' }));
  }
  if (issue.code === 'invalid_union') {
    const relevant = issue.unionErrors.find((branch) => branch.issues.some((inner) => !isTypeMismatchAt(inner, issue.path)));
    if (relevant) return relevant.issues.flatMap(readableIssues);
  }
  return [issue];
}

function isTypeMismatchAt(issue: ZodIssue, path: (string | number)[]): boolean {
  return issue.code === 'invalid_type' && issue.path.length === path.length;
}

function withoutDuplicates(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
