import { z } from 'zod';
import type { ApiOperation } from './api-operation';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'error']),
    auth: z.enum(['on', 'off']).optional().describe('Whether a key is configured (off: every route is open).'),
    info: z.record(z.unknown()).optional(),
    error: z.record(z.unknown()).optional(),
    details: z.record(z.unknown()).optional(),
  })
  .describe("Terminus' report: each dependency (database, kafka, consumers) with its status.");

const ready = {
  status: 'ok',
  info: { database: { status: 'up' }, kafka: { status: 'up' }, consumers: { status: 'up' } },
  error: {},
  details: { database: { status: 'up' }, kafka: { status: 'up' }, consumers: { status: 'up' } },
  auth: 'on',
};

const readiness = (path: string, summary: string): ApiOperation => ({
  method: 'get',
  path,
  tag: 'Operations',
  summary,
  responses: {
    200: {
      description: 'Kafka and Postgres answer and no consumed partition is stalled.',
      content: { schema: healthSchema, examples: { ready } },
    },
    503: {
      description: 'A dependency is down or a consumer is stalled (the report says which).',
      content: { schema: healthSchema, examples: { down: { ...ready, status: 'error', error: { kafka: { status: 'down' } } } } },
    },
  },
});

/** The routes every service has (health, metrics, this reference), described once. */
export const RUNTIME_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/health/live',
    tag: 'Operations',
    summary: 'Liveness: 200 whenever the process answers',
    responses: { 200: { description: 'The process answers.', content: { schema: healthSchema, examples: { live: { status: 'ok' } } } } },
  },
  readiness('/health/ready', 'Readiness: Kafka, Postgres and consumers'),
  readiness('/health', 'The same as /health/ready'),
  {
    method: 'get',
    path: '/metrics',
    tag: 'Operations',
    summary: 'Prometheus metrics',
    responses: {
      200: {
        description: 'Prometheus text format.',
        content: { contentType: 'text/plain', description: 'Prometheus exposition format 0.0.4.' },
      },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'Operations',
    summary: 'This document (OpenAPI 3.1)',
    responses: {
      200: {
        description: 'The OpenAPI 3.1 document of this service.',
        content: { contentType: 'application/json', description: 'OpenAPI 3.1 document.' },
      },
    },
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'Operations',
    summary: 'This document rendered (Swagger UI, served offline)',
    responses: {
      200: { description: 'An HTML page rendering /openapi.json.', content: { contentType: 'text/html', description: 'Swagger UI page.' } },
    },
  },
  ...(
    [
      ['swagger-ui.css', 'text/css', "Swagger UI's style"],
      ['swagger-ui-bundle.js', 'application/javascript', "Swagger UI's script"],
      ['docs.js', 'application/javascript', 'The script that starts Swagger UI on /openapi.json'],
    ] as const
  ).map(([file, contentType, summary]): ApiOperation => ({
    method: 'get',
    path: `/docs/${file}`,
    tag: 'Operations',
    summary,
    responses: { 200: { description: 'The file, for the /docs page.', content: { contentType, description: summary } } },
  })),
];
