import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger, Optional } from '@nestjs/common';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '@nudge/contracts';
import type { Request, Response } from 'express';
import { ApiAuth } from './api-auth';

interface ErrorDetail {
  path: string;
  message: string;
}

/** SPEC's error body; every 4xx carries at least one detail naming the part of the request at fault. */
export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[] };
}

/**
 * Maps every error to SPEC's error body once; a client's mistake is never a 500. A client
 * error raised before a route's guard ran (no route matched, an undecodable URL) answers
 * 401 to a caller without a valid key (which routes exist stays hidden).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(@Optional() private readonly auth?: ApiAuth) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    if (isHealthReport(exception)) {
      // Terminus' own body ({status, info, error, details}) is what probes and people read.
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const [status, body] = bounded(
      withDetail(this.toResponse(this.refusedBeforeRouting(exception, http.getRequest<Request>()) ?? exception)),
    );
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(status).json(body);
  }

  /** A client error raised before any route's guard ran, as the 401 a caller without a key gets; null otherwise. */
  private refusedBeforeRouting(exception: unknown, request: Request): HttpException | null {
    const status = exception instanceof HttpException ? exception.getStatus() : (asBodyParserError(exception)?.[0] ?? 500);
    if (status < 400 || status >= 500) return null;
    return this.auth?.refusalBeforeRouting(request) ?? null;
  }

  private toResponse(exception: unknown): [number, ErrorBody] {
    if (exception instanceof ValidationError) {
      return [400, { error: { code: 'validation_failed', message: exception.message, details: exception.details } }];
    }
    if (exception instanceof NotFoundError) return [404, { error: { code: 'not_found', message: exception.message } }];
    if (exception instanceof ConflictError) return [409, { error: { code: 'conflict', message: exception.message } }];
    if (exception instanceof ServiceUnavailableError) return [503, { error: { code: 'unavailable', message: exception.message } }];
    const bodyParser = asBodyParserError(exception);
    if (bodyParser) return bodyParser;
    if (isUnstorableText(exception)) {
      const message = 'must not contain NUL characters (\\u0000): they cannot be stored';
      return [
        400,
        { error: { code: 'validation_failed', message: `the request body ${message}`, details: [{ path: '(body)', message }] } },
      ];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return [status, { error: { code: codeOf(exception, status), message: messageOf(exception), details: detailsOf(exception) } }];
    }
    return [500, { error: { code: 'internal', message: 'internal error; see the service log' } }];
  }
}

/** Where in the request a 4xx of this status points when its error names nothing itself. */
const DEFAULT_DETAIL_PATH: Record<number, string> = {
  401: 'headers.authorization',
  403: 'headers.authorization',
  404: '(url)',
  405: '(method)',
  406: 'headers.accept',
  409: '(body)',
  411: 'headers.content-length',
  413: '(body)',
  415: 'headers.content-type',
  422: '(body)',
};

/**
 * A 4xx body always names at least one part of the request, as SPEC's error shape promises;
 * a detail about the whole document (a zod issue at the root: not an object, unknown keys)
 * names `(body)`.
 */
function withDetail([status, body]: [number, ErrorBody]): [number, ErrorBody] {
  if (status < 400 || status >= 500) return [status, body];
  if ((body.error.details?.length ?? 0) > 0) {
    const details = (body.error.details ?? []).map((detail) => (detail.path ? detail : { ...detail, path: '(body)' }));
    return [status, { error: { ...body.error, details } }];
  }
  const path = DEFAULT_DETAIL_PATH[status] ?? (/decode param/i.test(body.error.message) ? '(url)' : '(request)');
  return [status, { error: { ...body.error, details: [{ path, message: body.error.message }] } }];
}

/** How much of an error an answer carries: messages quote the input (unknown keys, bad values), which may be megabytes. */
export const ERROR_BODY_LIMITS = Object.freeze({ messageCharacters: 1000, pathCharacters: 300, details: 1000 });

/** The error body cut to ERROR_BODY_LIMITS, so a hostile request is never echoed back at length. */
function bounded([status, body]: [number, ErrorBody]): [number, ErrorBody] {
  const { messageCharacters, pathCharacters, details: maxDetails } = ERROR_BODY_LIMITS;
  const error = { ...body.error, message: cut(body.error.message, messageCharacters) };
  if (body.error.details) {
    const kept = body.error.details.slice(0, maxDetails);
    error.details = kept.map((detail) => ({ path: cut(detail.path, pathCharacters), message: cut(detail.message, messageCharacters) }));
    const left = body.error.details.length - kept.length;
    if (left > 0) error.message = cut(`${error.message} (and ${left} more problems)`, messageCharacters + 40);
  }
  return [status, { error }];
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Postgres refusing text it cannot store: NUL in a text column (22021) or in jsonb (22P05). Only a client sends those. */
function isUnstorableText(exception: unknown): boolean {
  const code = (exception as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return code === '22021' || code === '22P05';
}

/** A failed health check: Terminus answers 503 with the state of every indicator. */
function isHealthReport(exception: unknown): exception is HttpException {
  if (!(exception instanceof HttpException)) return false;
  const body = exception.getResponse() as { status?: unknown; details?: unknown };
  return typeof body === 'object' && body !== null && body.status === 'error' && typeof body.details === 'object';
}

/** The response for an error thrown while parsing a request body, or null if it is not one. */
export function asBodyParserError(exception: unknown): [number, ErrorBody] | null {
  const e = exception as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') {
    return [
      400,
      {
        error: {
          code: 'invalid_json',
          message: `request body is not valid JSON: ${e.message}`,
          details: [{ path: '(body)', message: 'not valid JSON' }],
        },
      },
    ];
  }
  if (e?.type === 'entity.too.large') {
    const message = 'request body is too large';
    return [413, { error: { code: 'payload_too_large', message, details: [{ path: '(body)', message }] } }];
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    const message = e.message ?? 'unsupported encoding';
    const path = e.type === 'charset.unsupported' ? 'headers.content-type' : 'headers.content-encoding';
    return [415, { error: { code: 'unsupported_encoding', message, details: [{ path, message }] } }];
  }
  if (typeof e?.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    const message = e.message ?? 'the request body could not be read';
    return [e.status, { error: { code: codeForStatus(e.status), message, details: [{ path: '(body)', message }] } }];
  }
  return null;
}

/** The error an HttpException carries: Nest's `{message}` or our own `{error: {…}}` (AccessRefused). */
function errorOf(exception: HttpException): { code?: unknown; message?: unknown; details?: unknown } {
  const response = exception.getResponse();
  if (typeof response !== 'object' || response === null) return { message: response };
  const own = (response as { error?: unknown }).error;
  return typeof own === 'object' && own !== null ? own : response;
}

function codeOf(exception: HttpException, status: number): string {
  const code = errorOf(exception).code;
  return typeof code === 'string' ? code : codeForStatus(status);
}

function messageOf(exception: HttpException): string {
  const message = errorOf(exception).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}

function detailsOf(exception: HttpException): ErrorDetail[] | undefined {
  const details = errorOf(exception).details;
  if (!Array.isArray(details)) return undefined;
  return details.filter((d): d is ErrorDetail => typeof d?.path === 'string' && typeof d?.message === 'string');
}

function codeForStatus(status: number): string {
  const codes: Record<number, string> = {
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'too_many_requests',
  };
  return codes[status] ?? (status >= 500 ? 'internal' : 'bad_request');
}
