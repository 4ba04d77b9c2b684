import pino from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';

/** What a redacted field's value is replaced with in the log. */
export const REDACTED = '[redacted]';

/** Fields that may hold an address, a message body, a profile's data or a secret, at the top and one level down. */
const PERSONAL_FIELDS = [
  'to',
  'from',
  'address',
  'addresses',
  'body',
  'text',
  'subject',
  'email',
  'phone',
  'profile',
  'attributes',
  'properties',
  'request',
  'token',
  'secret',
  'password',
  'authorization',
  'parameters',
  'detail',
];

/**
 * Paths pino replaces with `[redacted]` in every service's log: personal fields wherever
 * an object logs them, request headers carrying keys or user tokens, and what database
 * errors carry of the query (`parameters`, Postgres' `detail` quoting values).
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  ...PERSONAL_FIELDS,
  ...PERSONAL_FIELDS.map((field) => `*.${field}`),
  '*.context',
  'err.driverError.detail',
  'err.driverError.parameters',
  'err.cause.detail',
  'err.cause.parameters',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-nudge-user-token"]',
  'req.query.token',
];

/**
 * The pino-http options of a service's LoggerModule: level, service name, redaction, no
 * request logging; the log goes to stdout, or appended to `file` (LOG_FILE) when given.
 */
export function serviceLogging(
  service: string,
  level: string,
  file: string | undefined,
): PinoHttpOptions | [PinoHttpOptions, pino.DestinationStream] {
  const options: PinoHttpOptions = {
    level,
    base: { service },
    autoLogging: false,
    quietReqLogger: true,
    redact: { paths: [...REDACTED_LOG_PATHS], censor: REDACTED },
  };
  return file === undefined ? options : [options, pino.destination({ dest: file, sync: true, mkdir: true })];
}
