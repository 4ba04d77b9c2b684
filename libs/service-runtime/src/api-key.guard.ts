import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { decideAccess } from './access-decision';
import { AccessRefused, ApiAuth, markAccessChecked } from './api-auth';
import { routeAccessOf } from './route-access';

/**
 * Decides per route, by the metadata of its handler and never by the path's text, who may
 * call it: `@Public()` routes anyone; `@ApiKeyExempt(policy)` routes whoever the policy lets
 * through; every other route a configured key of its scopes (`@Scope`), the admin key always.
 * Requests refused before reaching a route (none matches, an undecodable URL) are answered
 * by HttpErrorFilter: 401 unless the caller holds a key.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly auth: ApiAuth,
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    markAccessChecked(request);
    if (!this.auth.enabled) return true;
    const access = routeAccessOf(this.reflector, context.getHandler(), context.getClass());
    if (access.public) return true;
    if (access.exemption && this.moduleRef.get(access.exemption, { strict: false }).exempts(request)) return true;
    const userId = typeof request.params?.userId === 'string' ? request.params.userId : undefined;
    const decision = decideAccess(this.auth.keys, access, this.auth.callerOf(request), userId);
    if (decision.allowed) return true;
    throw new AccessRefused(decision);
  }
}
