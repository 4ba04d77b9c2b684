import { HttpException, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Request } from 'express';
import { type AccessDecision, type AccessKeys, authEnabled, type Caller, decideUnmatched, identify, parseKeyList } from './access-decision';
import type { RuntimeConfig } from './config';
import { SERVICE_CONFIG } from './tokens';

const ACCESS_CHECKED = Symbol('nudge:access-checked');

/** Notes that the guard decided this request's access (it reached a route). */
export function markAccessChecked(request: Request): void {
  (request as Request & { [ACCESS_CHECKED]?: true })[ACCESS_CHECKED] = true;
}

/** Whether the guard decided this request's access; false for an error raised before routing finished. */
export function accessChecked(request: Request): boolean {
  return (request as Request & { [ACCESS_CHECKED]?: true })[ACCESS_CHECKED] === true;
}

/** The header an end user's client sends its inbox token in. */
export const USER_TOKEN_HEADER = 'x-nudge-user-token';

/**
 * The service's credentials (NUDGE_API_KEY, NUDGE_INGEST_KEY, NUDGE_INBOX_SECRET) and who a
 * request's credentials make its caller. With none configured, authentication is off.
 */
@Injectable()
export class ApiAuth implements OnApplicationBootstrap {
  readonly keys: AccessKeys;
  private readonly logger = new Logger('auth');

  constructor(@Inject(SERVICE_CONFIG) config: Pick<RuntimeConfig, 'NUDGE_API_KEY' | 'NUDGE_INGEST_KEY' | 'NUDGE_INBOX_SECRET'>) {
    this.keys = {
      adminKeys: parseKeyList(config.NUDGE_API_KEY),
      ingestKeys: parseKeyList(config.NUDGE_INGEST_KEY),
      inboxSecret: config.NUDGE_INBOX_SECRET || undefined,
    };
  }

  /** Whether any credential is configured, so every non-public route needs one. */
  get enabled(): boolean {
    return authEnabled(this.keys);
  }

  callerOf(request: Request): Caller {
    const query = request.query as Record<string, unknown> | undefined;
    return identify(this.keys, {
      authorization: request.header('authorization'),
      userTokenHeader: request.header(USER_TOKEN_HEADER),
      userTokenQuery: typeof query?.token === 'string' ? query.token : undefined,
      bodyWriteKey: writeKeyOf(request.body),
    });
  }

  /**
   * The 401 for a request refused before its route's guard ran (no route matched, its body
   * or URL could not be decoded) when its caller holds no valid key: such a caller learns
   * nothing about which routes exist. Null when auth is off or the caller holds a key.
   */
  refusalBeforeRouting(request: Request): AccessRefused | null {
    if (!this.enabled || accessChecked(request)) return null;
    const decision = decideUnmatched(this.callerOf(request), true);
    return decision.allowed || decision.status !== 401 ? null : new AccessRefused(decision);
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.warn(
        'authentication is OFF: none of NUDGE_API_KEY, NUDGE_INGEST_KEY, NUDGE_INBOX_SECRET is set, so every route is open ' +
          'to anyone who can reach this port. Set NUDGE_API_KEY before exposing the service.',
      );
    } else if (this.keys.adminKeys.length === 0) {
      this.logger.warn('NUDGE_API_KEY is not set: admin routes (settings, campaigns, messages, erasure) answer 401 to every caller');
    }
  }
}

/** The JSON body's `writeKey` (Segment's SDKs send it), when the body has one as text. */
function writeKeyOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const writeKey = (body as { writeKey?: unknown }).writeKey;
  return typeof writeKey === 'string' && writeKey !== '' ? writeKey : undefined;
}

/** A refused request: 401/403/404 with SPEC's error body naming the request field to blame. */
export class AccessRefused extends HttpException {
  constructor(decision: Extract<AccessDecision, { allowed: false }>) {
    super(
      {
        error: {
          code: { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[decision.status],
          message: decision.message,
          details: [{ path: decision.path, message: decision.message }],
        },
      },
      decision.status,
    );
  }
}
