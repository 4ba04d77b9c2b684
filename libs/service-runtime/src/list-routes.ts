import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { isNestMiddleware } from './service-express-adapter';
import { type AnyFunction, routeAccessOf, type RouteAccess, type RouteScope } from './route-access';

/** One route as the Express router serves it, with the access its handler declares. */
export interface RegisteredRoute {
  /** Upper case, as registered: GET also answers HEAD. */
  method: string;
  /** Express path, params as `:name` (e.g. `/v1/users/:userId/inbox`). */
  path: string;
  /** Anyone may call it without a key. */
  public: boolean;
  /** Name of the policy that lets some requests through without a key (signed webhooks), if any. */
  exemptWhen?: string;
  /** Who may call it with a credential: always `admin`, plus the scopes the handler declares. */
  scopes: ('admin' | RouteScope)[];
}

/**
 * Every route the app's Express router serves (call after `app.init()` or `listen`), read
 * from the router itself so nothing registered can be missed, each with the access its
 * Nest handler declares (`@Public`, `@ApiKeyExempt`, `@Scope`).
 */
export function listRoutes(app: INestApplication): RegisteredRoute[] {
  return listRoutesOf({ modules: app.get(ModulesContainer), reflector: app.get(Reflector), express: app.getHttpAdapter().getInstance() });
}

/** What `listRoutes` reads an app's routes from; a provider inside the app can inject each part. */
export interface RouteSources {
  modules: ModulesContainer;
  reflector: Reflector;
  /** The Express app (`HttpAdapterHost.httpAdapter.getInstance()`). */
  express: unknown;
}

/** `listRoutes` from the parts of an app, for a provider that has no `INestApplication` at hand. */
export function listRoutesOf(sources: RouteSources): RegisteredRoute[] {
  return accessibleRoutesOf(sources).map(({ access: _access, ...route }) => route);
}

/** A registered route with everything its handler declares (`RouteAccess`, the write-key marking included). */
export type AccessibleRoute = RegisteredRoute & { access: RouteAccess };

/** `listRoutesOf`, each route with its full `RouteAccess`. */
export function accessibleRoutesOf(sources: RouteSources): AccessibleRoute[] {
  const declared = declaredAccess(sources.modules, sources.reflector);
  const instance = sources.express as { router?: { stack?: RouterLayer[] } };
  const routes: AccessibleRoute[] = [];
  const seen = new Set<string>();
  for (const layer of instance.router?.stack ?? []) {
    const route = layer.route;
    if (!route || typeof route.path !== 'string' || route.stack.every((entry) => isNestMiddleware(entry.handle))) continue;
    for (const method of Object.keys(route.methods).filter((m) => route.methods[m])) {
      const upper = method === '_all' ? 'ALL' : method.toUpperCase();
      const key = routeKey(upper, route.path);
      if (seen.has(key)) continue; // strict routing registers a controller's root path twice
      seen.add(key);
      const access = declared.get(key) ?? { public: false, scopes: [] };
      routes.push({
        method: upper,
        path: normalisePath(route.path),
        public: access.public,
        ...(access.exemption ? { exemptWhen: access.exemption.name } : {}),
        scopes: ['admin', ...access.scopes],
        access,
      });
    }
  }
  return routes;
}

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean>; stack: { handle: unknown }[] };
}

/** The access each controller method declares, by method and path. */
function declaredAccess(modules: ModulesContainer, reflector: Reflector): Map<string, RouteAccess> {
  const access = new Map<string, RouteAccess>();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as AnyFunction | null;
      if (!controller) continue;
      const controllerPaths = asList(Reflect.getMetadata(PATH_METADATA, controller));
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (requestMethod === undefined) continue;
        const methodName = RequestMethod[requestMethod];
        if (methodName === undefined) continue;
        const expressMethod = methodName === 'ALL' ? 'ALL' : methodName;
        for (const base of controllerPaths) {
          for (const own of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
            access.set(routeKey(expressMethod, `/${base}/${own}`), routeAccessOf(reflector, handler as AnyFunction, controller));
          }
        }
      }
    }
  }
  return access;
}

function asList(paths: unknown): string[] {
  if (Array.isArray(paths)) return paths.map(String);
  return [typeof paths === 'string' ? paths : '/'];
}

function routeKey(method: string, path: string): string {
  return `${method} ${normalisePath(path)}`;
}

/** One leading slash, no doubled or trailing ones. */
function normalisePath(path: string): string {
  const collapsed = `/${path}`.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}
