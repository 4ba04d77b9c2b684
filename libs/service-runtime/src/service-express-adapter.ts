import type { RequestMethod } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';

type RegisterMiddleware = Extract<ReturnType<ExpressAdapter['createMiddlewareFactory']>, (path: string, callback: never) => unknown>;

/** Handlers Nest registered on the router as middleware (e.g. the logger's), not as routes. */
const middlewareHandlers = new WeakSet<object>();

/** Whether a router handler is a Nest middleware rather than a route's handler. */
export function isNestMiddleware(handler: unknown): boolean {
  return typeof handler === 'function' && middlewareHandlers.has(handler);
}

/**
 * The Express adapter, remembering which router entries are middleware: Nest registers a
 * module's middleware as routes (`/{*path}` for every method), which `listRoutes` leaves out.
 */
export class ServiceExpressAdapter extends ExpressAdapter {
  override createMiddlewareFactory(requestMethod: RequestMethod): RegisterMiddleware {
    const register = super.createMiddlewareFactory(requestMethod) as RegisterMiddleware;
    return (path, callback) => {
      middlewareHandlers.add(callback);
      return register(path, callback);
    };
  }
}
