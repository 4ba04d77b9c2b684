import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { asBodyParserError } from './http-error.filter';
import { ServiceMetrics } from './metrics';

/** Builds a service's Nest app with our logger, body limits and request metrics. */
export async function createServiceApp(module: Parameters<typeof NestFactory.create>[0]): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  const express = await import('express');
  app.use(express.json({ limit: '5mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  // Body-parser errors happen before Nest's filters see the request: map them here.
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const mapped = asBodyParserError(error);
    if (!mapped) return next(error);
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
