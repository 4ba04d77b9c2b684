import type { FuzzRequest } from './requests';
import type { FuzzAnswer } from './send';

/**
 * What an answer must never be:
 * - `5xx`: a server error, or no complete answer at all (timeout, reset connection);
 * - `unauthorised`: a request whose credential does not entitle it to the route got
 *   anything but a refusal: a 2xx or 3xx, or a 409 (which tells whether something exists);
 * - `no-field-path`: a 4xx whose JSON body lacks `error.details[]` with a non-empty `path`
 *   (HEAD answers carry no body, and a public route's HTML page is for a person: both exempt);
 * - `accepted-hostile`: a document issue 10 says must be refused (settings naming a variable
 *   outside NUDGE_SECRET_*, a scripted condition path) got a 2xx. Reported apart: it is not
 *   one of the summary line's figures.
 */
export type Violation = '5xx' | 'unauthorised' | 'no-field-path' | 'accepted-hostile';

/** The violations `answer` commits as the answer to `request`; empty when it is acceptable. */
export function judge(request: FuzzRequest, answer: FuzzAnswer): Violation[] {
  const violations: Violation[] = [];
  const status = answer.status;
  if ((status === null && !closedOnOversizedBody(request, answer)) || (status !== null && status >= 500)) violations.push('5xx');
  if (status !== null && !request.entitled && grantsAccess(status)) violations.push('unauthorised');
  if (status !== null && status >= 400 && status < 500 && needsFieldPath(request, answer) && !hasFieldPath(answer.body))
    violations.push('no-field-path');
  if (status !== null && request.mustRefuse && status >= 200 && status < 300) violations.push('accepted-hostile');
  return violations;
}

/** Bytes past the services' body limit (5 MB): a server may refuse them by closing the connection before reading them. */
const BODY_LIMIT = 5 * 1024 * 1024;

function closedOnOversizedBody(request: FuzzRequest, answer: FuzzAnswer): boolean {
  return (request.body?.length ?? 0) > BODY_LIMIT && /EPIPE|ECONNRESET|socket hang up/.test(answer.failure ?? '');
}

function needsFieldPath(request: FuzzRequest, answer: FuzzAnswer): boolean {
  if (request.method === 'HEAD') return false;
  return !(request.requirement === 'public' && answer.contentType.startsWith('text/html'));
}

function grantsAccess(status: number): boolean {
  return status < 400 || status === 409;
}

/** Whether a body is SPEC's error document with at least one detail naming a field. */
export function hasFieldPath(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { error?: { details?: unknown } };
    const details = parsed?.error?.details;
    return Array.isArray(details) && details.some((d) => typeof d?.path === 'string' && d.path.length > 0);
  } catch {
    return false;
  }
}
