import { request } from 'node:http';
import type { UncheckedBody } from './http-client';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or the text when it is not JSON. */
  body: UncheckedBody;
}

/**
 * Sends one HTTP request with `path` exactly as given (fetch would normalise `/v1/./x`,
 * which is the point of some probes). Loopback targets only; gives up after `timeoutMs`.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`rawRequest only targets loopback, not ${url.hostname}`);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers: options.headers, timeout: options.timeoutMs ?? 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: jsonOrText(text) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${options.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** An Express route path with each `:param` filled with `sample` (URL-encoded). */
export function samplePath(path: string, sample: (param: string) => string = () => 'sample-1'): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, param: string) => encodeURIComponent(sample(param)));
}

/**
 * Spellings of a `/v1/…` path that must reach no route: other case, doubled slash,
 * percent-encoded prefix, a dot segment, a trailing slash.
 */
export function pathVariants(path: string): string[] {
  const variants = [`${path}/`];
  if (path.startsWith('/v1/')) {
    const rest = path.slice('/v1/'.length);
    variants.push(`/V1/${rest}`, `/v1//${rest}`, `/%76%31/${rest}`, `/v1/./${rest}`);
  } else {
    variants.push(path.toUpperCase() === path ? path.toLowerCase() : path.toUpperCase(), `/${path}`, `/.${path}`);
  }
  return variants;
}

function jsonOrText(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** A route as `listRoutes` (from `@nudge/service-runtime`) reports it. */
export interface ProbedRoute {
  method: string;
  path: string;
  public: boolean;
  exemptWhen?: string;
  scopes: string[];
}

/** One probe whose answer was not the expected one: `GET /V1/settings (no key) → 200, expected 401`. */
export type ProbeMiss = string;

const JSON_BODY = { 'content-type': 'application/json' };

/**
 * Calls every non-public route (params filled with samples) without a key, with
 * `wrongKey`, in every spelling of `pathVariants` and with undecodable params, plus HEAD
 * and OPTIONS of each: all must answer 401 with an error detail naming a request field.
 * The misses, or [].
 */
export async function unauthenticatedMisses(baseUrl: string, routes: ProbedRoute[], wrongKey: string): Promise<ProbeMiss[]> {
  const misses: ProbeMiss[] = [];
  for (const route of routes.filter((r) => !r.public)) {
    const path = samplePath(route.path);
    const probes: [string, string, Record<string, string>, string][] = [
      [route.method, path, {}, 'no key'],
      [route.method, path, { authorization: `Bearer ${wrongKey}` }, 'wrong key'],
      ['HEAD', path, {}, 'no key'],
      ['OPTIONS', path, {}, 'no key'],
      // A param the router cannot decode fails before any guard: still a 401 to this caller.
      ...(route.path.includes(':')
        ? [
            [route.method, route.path.replace(/:[A-Za-z0-9_]+/g, '%E0%A4%A'), {}, 'no key'] as [
              string,
              string,
              Record<string, string>,
              string,
            ],
          ]
        : []),
      ...pathVariants(path).flatMap((variant): [string, string, Record<string, string>, string][] => [
        [route.method, variant, {}, 'no key'],
        [route.method, variant, { authorization: `Bearer ${wrongKey}` }, 'wrong key'],
        ['HEAD', variant, {}, 'no key'],
        ['OPTIONS', variant, {}, 'no key'],
      ]),
    ];
    for (const [method, probePath, headers, who] of probes) {
      const body = method === 'POST' || method === 'PUT' ? '{}' : undefined;
      const answer = await rawRequest(baseUrl, method, probePath, { headers: { ...(body ? JSON_BODY : {}), ...headers }, body });
      const named = method === 'HEAD' || typeof answer.body?.error?.details?.[0]?.path === 'string';
      if (answer.status !== 401 || !named) {
        misses.push(`${method} ${probePath} (${who}) → ${answer.status} ${answer.text.slice(0, 120)}, expected 401 naming a field`);
      }
    }
  }
  return misses;
}

/**
 * Calls every non-public route with `headers` (a scoped key or a user token): routes of
 * `scope` must not refuse it (no 401/403), every other one must answer 403. The misses, or [].
 */
export async function scopeMisses(
  baseUrl: string,
  routes: ProbedRoute[],
  scope: string,
  headers: Record<string, string>,
  sample?: (param: string) => string,
): Promise<ProbeMiss[]> {
  const misses: ProbeMiss[] = [];
  for (const route of routes.filter((r) => !r.public)) {
    if (route.path.endsWith('/stream')) continue; // an event stream stays open; tested on its own
    const path = samplePath(route.path, sample);
    const body = route.method === 'POST' || route.method === 'PUT' ? '{}' : undefined;
    const answer = await rawRequest(baseUrl, route.method, path, { headers: { ...(body ? JSON_BODY : {}), ...headers }, body });
    const inScope = route.scopes.includes(scope);
    const ok = inScope ? answer.status !== 401 && answer.status !== 403 : answer.status === 403;
    if (!ok)
      misses.push(
        `${route.method} ${path} (${scope}) → ${answer.status} ${answer.text.slice(0, 120)}, expected ${inScope ? 'no refusal' : '403'}`,
      );
  }
  return misses;
}
