import { z } from 'zod';
import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';
import { isTransientStatus } from '../shared/provider-http';

const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';

/** FCM error codes that mean "not now". */
const TRANSIENT_CODES = new Set(['UNAVAILABLE', 'INTERNAL', 'QUOTA_EXCEEDED']);

/** What FCM's refusals mean, where the code alone is terse. */
const REASONS: Readonly<Record<string, string>> = {
  UNREGISTERED: 'the device token is no longer registered (app uninstalled or token expired)',
  INVALID_ARGUMENT: 'the request or the device token is not valid',
  SENDER_ID_MISMATCH: 'the device token belongs to another Firebase project',
  THIRD_PARTY_AUTH_ERROR: 'the APNs or web push credentials in the Firebase project were refused',
};

/** An FCM HTTP v1 error: `{ error: { code, message, status, details: [{ '@type': …FcmError, errorCode }] } }`. */
const errorAnswer = z.object({
  error: z.object({
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.object({ '@type': z.string().optional(), errorCode: z.string().optional() })).optional(),
  }),
});

/** The error for an FCM answer other than 200: FCM's own code (the FcmError detail's, else the canonical status) and message. */
export function fcmRefusal(httpStatus: number, body: unknown): ProviderError {
  const refused = errorAnswer.safeParse(body);
  const error = refused.success ? refused.data.error : undefined;
  const code = error?.details?.find((detail) => detail['@type'] === FCM_ERROR_TYPE)?.errorCode ?? error?.status ?? `HTTP ${httpStatus}`;
  const text = error?.message ? `${code}: ${error.message}` : code;
  if (TRANSIENT_CODES.has(code) || isTransientStatus(httpStatus)) return new ProviderTransientError(`FCM failed: ${text}`);
  const reason = REASONS[code];
  return new ProviderPermanentError(`FCM refused the message: ${text}${reason ? ` — ${reason}` : ''}`);
}
