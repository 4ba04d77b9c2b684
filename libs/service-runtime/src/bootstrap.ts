import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceExpressAdapter } from './service-express-adapter';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { ApiAuth } from './api-auth';
import { asBodyParserError } from './http-error.filter';
import { ServiceMetrics } from './metrics';

export interface ServiceAppOptions {
  /**
   * Keep each request's body bytes as `req.rawBody` (a Buffer), as signature checks over
   * the exact bytes need; a body neither JSON nor form-encoded is then kept as bytes too.
   */
  keepRawBody?: boolean;
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
  const verify = options.keepRawBody
    ? (req: RequestWithRawBody, _res: unknown, bytes: Buffer) => {
        req.rawBody = bytes;
      }
    : undefined;
  app.use(express.json({ limit: '5mb', verify }));
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
  const metrics = app.get(ServiceMetrics);
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });
  return app;
}

/** Starts a service on its port and stops it cleanly on SIGINT/SIGTERM. */
export async function runService(app: INestApplication, port: number, service: string): Promise<void> {
  app.enableShutdownHooks();
  await app.listen(port);
  app.get(Logger).log(`${service} listening on :${port}`);
}
