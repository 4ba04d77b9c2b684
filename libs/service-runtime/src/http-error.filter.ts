import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '@nudge/contracts';
import type { Response } from 'express';

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

/** Maps every error to SPEC's error body once; a client's mistake is never a 500. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (isHealthReport(exception)) {
      // Terminus' own body ({status, info, error, details}) is what probes and people read.
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const [status, body] = this.toResponse(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(status).json(body);
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
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return [status, { error: { code: codeForStatus(status), message: messageOf(exception) } }];
    }
    return [500, { error: { code: 'internal', message: 'internal error; see the service log' } }];
  }
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
  if (e?.type === 'entity.too.large') return [413, { error: { code: 'payload_too_large', message: 'request body is too large' } }];
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return [415, { error: { code: 'unsupported_encoding', message: e.message ?? 'unsupported encoding' } }];
  }
  return null;
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
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
