import type { INestApplication } from '@nestjs/common';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import { NestFactory } from '@nestjs/core';
import { ServiceExpressAdapter } from './service-express-adapter';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { ApiAuth } from './api-auth';
import { asBodyParserError } from './http-error.filter';
import { ServiceMetrics } from './metrics';
import { SERVICE_NAME } from './tokens';
import { tracerOf, tracingEnabled, type TracedService } from './tracing';

export interface ServiceAppOptions {
  /**
   * Keep each request's body bytes as `req.rawBody` (a Buffer), as signature checks over
   * the exact bytes need; a body neither JSON nor form-encoded is then kept as bytes too.
   */
  keepRawBody?: boolean;
  /**
   * Paths under which a `text/plain` body is read as JSON too: analytics.js sends its JSON as
   * text/plain so that a browser makes no CORS preflight (the Segment-compatible routes).
   */
  plainTextJsonPaths?: string[];
}

/** A request whose body bytes were kept (`ServiceAppOptions.keepRawBody`). */
export type RequestWithRawBody = Request & { rawBody?: Buffer };

/**
 * Builds a service's Nest app with our logger, body limits and request metrics. Routing is
 * case-sensitive and strict: `/V1/…` or `/v1/…/` match no route (and so answer 401 to a
 * caller without a key) instead of reaching a handler by another spelling.
 */
export async function createServiceApp(
  module: Parameters<typeof NestFactory.create>[0],
  options: ServiceAppOptions = {},
): Promise<INestApplication> {
  const express = await import('express');
  // The router takes these settings when it is created, so before Nest's adapter touches it.
  const instance = express.default();
  instance.set('case sensitive routing', true);
  instance.set('strict routing', true);
  const app = await NestFactory.create(module, new ServiceExpressAdapter(instance), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // Timed from the request's arrival, body parsing included.
  app.use(countRequests(app.get(ServiceMetrics)));
  const verify = options.keepRawBody
    ? (req: RequestWithRawBody, _res: unknown, bytes: Buffer) => {
        req.rawBody = bytes;
      }
    : undefined;
  app.use(express.json({ limit: '5mb', verify }));
  if (options.plainTextJsonPaths?.length) app.use(options.plainTextJsonPaths, express.json({ type: 'text/plain', limit: '5mb', verify }));
  app.use(express.urlencoded({ extended: false, limit: '1mb', verify }));
  if (options.keepRawBody) app.use(express.raw({ type: () => true, limit: '1mb', verify }));
  // Body-parser errors happen before Nest's filters see the request: map them here (a
  // caller without any valid credential gets the 401 it would get from the route).
  const auth = app.get(ApiAuth);
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const mapped = asBodyParserError(error);
    if (!mapped) return next(error);
    const refused = auth.refusalBeforeRouting(req);
    if (refused) return res.status(refused.getStatus()).json(refused.getResponse());
    res.status(mapped[0]).json(mapped[1]);
  });
  // After the body parsers, so the request's span is the active context in its handler.
  if (tracingEnabled()) app.use(serverSpans(app.get(SERVICE_NAME)));
  return app;
}

/** The route template a request matched (never its URL: label values stay few), `unmatched` when none. */
function routeOf(req: Request): string {
  return (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
}

/** Counts and times every request by method, route template and status. */
function countRequests(metrics: ServiceMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const start = performance.now();
    res.on('finish', () => {
      const route = routeOf(req);
      const status = res.statusCode;
      metrics.httpRequests.inc({ method: req.method, route, status: String(status) });
      metrics.httpRequestSeconds.observe(
        { method: req.method, route, status_class: `${Math.floor(status / 100)}xx` },
        (performance.now() - start) / 1_000,
      );
    });
    next();
  };
}

/**
 * One server span per request (only when tracing is on), continuing a caller's W3C
 * `traceparent`, named by method and route template once routing has matched one.
 */
function serverSpans(service: TracedService) {
  return (req: Request, res: Response, next: NextFunction) => {
    const caller = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracerOf(service).startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method } },
      caller,
    );
    // 'close' comes also when the client went away before the answer was sent.
    res.once('close', () => {
      const route = routeOf(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ [ATTR_HTTP_ROUTE]: route, [ATTR_HTTP_RESPONSE_STATUS_CODE]: res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(caller, span), next);
  };
}

/** Starts a service on its port and stops it cleanly on SIGINT/SIGTERM. */
export async function runService(app: INestApplication, port: number, service: string): Promise<void> {
  app.enableShutdownHooks();
  await app.listen(port);
  app.get(Logger).log(`${service} listening on :${port}`);
}
