import { SetMetadata, type Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Request } from 'express';

const PUBLIC_ROUTE = 'nudge:public-route';
const API_KEY_EXEMPTION = 'nudge:api-key-exemption';
const ROUTE_SCOPES = 'nudge:route-scopes';
const WRITE_KEY_ACCEPTED = 'nudge:write-key-accepted';

/**
 * Who, besides the admin key (`NUDGE_API_KEY`, which may call everything), may call a route:
 * `ingest` — the app backend's key (`NUDGE_INGEST_KEY`);
 * `user` — an end user's token (`X-Nudge-User-Token` or `?token=`), for the user the
 * route's `:userId` names and no other.
 */
export type RouteScope = 'ingest' | 'user';

/** Decides, per request, whether a route marked `@ApiKeyExempt(policy)` may be called without a key. */
export interface ApiKeyExemptionPolicy {
  exempts(request: Request): boolean;
}

/** How a route is reached: by anyone, by whatever a policy lets through, or with a key of its scopes. */
export interface RouteAccess {
  public: boolean;
  /** A policy that lets some requests through without a key (signed provider webhooks). */
  exemption?: Type<ApiKeyExemptionPolicy>;
  /** Scopes that may call the route besides the admin key. */
  scopes: RouteScope[];
  /**
   * Whether the key may also come as Segment's SDKs send their write key: HTTP Basic with the
   * key as user name, or the body's `writeKey`. Elsewhere only `Authorization: Bearer` is read.
   */
  writeKey?: boolean;
}

/** A handler method or a controller class (what Nest's Reflector reads metadata from). */
export type AnyFunction = Parameters<Reflector['get']>[1];

/** Anyone may call the route, without a key: health, metrics, a recipient's tracked link. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Lets callers that cannot send our key reach a route when `policy` says so (a provider's
 * webhook, which proves itself with its own signature instead); the requests it does not
 * exempt still need a key. A webhook without a signature scheme must not use this.
 */
export const ApiKeyExempt = (policy: Type<ApiKeyExemptionPolicy>) => SetMetadata(API_KEY_EXEMPTION, policy);

/** Lets a key or token of these scopes call the route too (the admin key always may). */
export const Scope = (...scopes: RouteScope[]) => SetMetadata(ROUTE_SCOPES, scopes);

/**
 * Lets the route's callers send their key as Segment's SDKs send a write key (HTTP Basic with
 * the key as user name and no password, or `writeKey` in the JSON body), besides Bearer.
 */
export const WriteKeyAccepted = () => SetMetadata(WRITE_KEY_ACCEPTED, true);

/** The access a handler declares, its own metadata overriding its controller's. */
export function routeAccessOf(reflector: Reflector, handler: AnyFunction, controller: AnyFunction): RouteAccess {
  const targets = [handler, controller];
  return {
    public: reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true,
    exemption: reflector.getAllAndOverride<Type<ApiKeyExemptionPolicy> | undefined>(API_KEY_EXEMPTION, targets),
    scopes: reflector.getAllAndOverride<RouteScope[] | undefined>(ROUTE_SCOPES, targets) ?? [],
    writeKey: reflector.getAllAndOverride<boolean | undefined>(WRITE_KEY_ACCEPTED, targets) === true,
  };
}
