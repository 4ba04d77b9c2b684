import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or the text when it is not JSON. */
  body: any;
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
