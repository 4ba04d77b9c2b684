import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

export type ServiceName = 'ingest' | 'rules' | 'dispatch';

/** One registered route of a service: `GET /v1/users/:userId/inbox`. */
export interface HttpRoute {
  service: ServiceName;
  method: string;
  /** The path template as Nest registers it, with `:param` placeholders. */
  path: string;
}

/** A Nest module as `forRoot()` returns it, or its class. */
type ModuleLike = Type<unknown> | { module: Type<unknown>; imports?: unknown[]; controllers?: Type<unknown>[] };

/**
 * The controller classes a module and everything it imports declare, read from Nest's
 * metadata without instantiating anything: a separate process can list a service's routes
 * without connecting to Kafka or Postgres.
 */
export function controllersOfModule(root: ModuleLike): Type<unknown>[] {
  const seen = new Set<unknown>();
  const controllers = new Set<Type<unknown>>();
  const visit = (candidate: unknown): void => {
    if (!candidate || seen.has(candidate)) return;
    seen.add(candidate);
    const dynamic = typeof candidate === 'object' && 'module' in candidate ? (candidate as Exclude<ModuleLike, Type<unknown>>) : null;
    const moduleClass = dynamic ? dynamic.module : (candidate as Type<unknown>);
    const declared: Type<unknown>[] = [...(Reflect.getMetadata('controllers', moduleClass) ?? []), ...(dynamic?.controllers ?? [])];
    for (const controller of declared) controllers.add(controller);
    const imports: unknown[] = [...(Reflect.getMetadata('imports', moduleClass) ?? []), ...(dynamic?.imports ?? [])];
    for (const imported of imports) visit(imported);
  };
  visit(root);
  return [...controllers];
}

/** The controller classes of a running (or created) Nest app. */
export function controllersOfApp(app: INestApplication): Type<unknown>[] {
  const controllers = new Set<Type<unknown>>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) controllers.add(wrapper.metatype as Type<unknown>);
  }
  return [...controllers];
}

/** Every (method, path) the controllers handle, as Nest's router explorer reads the same metadata. */
export function routesOfControllers(service: ServiceName, controllers: Type<unknown>[]): HttpRoute[] {
  const routes = new Map<string, HttpRoute>();
  for (const controller of controllers) {
    const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller));
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      if (name === 'constructor') continue;
      const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value;
      if (typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const paths = Reflect.getMetadata(PATH_METADATA, handler);
      if (method === undefined || paths === undefined) continue;
      for (const prefix of prefixes) {
        for (const path of asList(paths)) {
          const route = { service, method: RequestMethod[method], path: joinPath(prefix, path) };
          routes.set(`${route.method} ${route.path}`, route);
        }
      }
    }
  }
  return [...routes.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function asList(value: unknown): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function joinPath(prefix: string, path: string): string {
  const joined = [prefix, path]
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

/** The `:name` placeholders of a path template, in order. */
export function paramsOf(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
}
