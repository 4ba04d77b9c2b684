import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { SERVICE_CONFIG } from './tokens';
import type { RuntimeConfig } from './config';

/** When NUDGE_API_KEY is set, every `/v1` route needs `Authorization: Bearer <key>`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(SERVICE_CONFIG) config: RuntimeConfig) {
    this.expected = config.NUDGE_API_KEY ? Buffer.from(config.NUDGE_API_KEY) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.path.startsWith('/v1/')) return true;
    const presented = /^Bearer (.+)$/i.exec(request.header('authorization') ?? '')?.[1];
    if (presented && this.matches(Buffer.from(presented))) return true;
    throw new UnauthorizedException('missing or wrong API key: send header Authorization: Bearer <NUDGE_API_KEY>');
  }

  private matches(presented: Buffer): boolean {
    return this.expected !== null && presented.length === this.expected.length && timingSafeEqual(presented, this.expected);
  }
}
