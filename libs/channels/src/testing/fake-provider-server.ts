import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a fake provider received it. */
export interface ReceivedRequest {
  method: string;
  /** The path without its query. */
  path: string;
  query: URLSearchParams;
  /** Header names lower-cased, as node gives them. */
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

/** What a fake provider answers: a status and a body, JSON unless `contentType` says otherwise. */
export interface FakeAnswer {
  status: number;
  body?: unknown;
  contentType?: string;
  /** Further response headers (`location`, `retry-after`…), for fakes whose provider answers with them. */
  headers?: Record<string, string>;
}

/** How a fake provider answers one request; `null` leaves it unanswered, as a provider that hangs. */
export type FakeRoute = (request: ReceivedRequest) => FakeAnswer | null;

/** A local stand-in for a provider's HTTP API, on 127.0.0.1 and a free port. */
export interface FakeProviderServer {
  baseUrl: string;
  /** Every request it received, in order, answered or not. */
  requests: ReceivedRequest[];
  /** From now on, never answers (the adapter's timeout is what ends the call). */
  goSilent(): void;
  close(): Promise<void>;
}

/** Starts a fake provider answering every request through `route`. */
export async function startFakeProviderServer(route: FakeRoute): Promise<FakeProviderServer> {
  const requests: ReceivedRequest[] = [];
  let silent = false;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const request = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
      };
      requests.push(request);
      const answer = silent ? null : route(request);
      if (answer === null) return;
      const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json', ...answer.headers }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    goSilent: () => {
      silent = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The fields of a form-encoded body; empty unless the request says it is form-encoded, as a real API reads it. */
export function formFields(request: ReceivedRequest): URLSearchParams {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  return new URLSearchParams(request.rawBody.toString('utf8'));
}

/** The JSON body, or undefined when the request is not JSON or does not parse. */
export function jsonBody(request: ReceivedRequest): unknown {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.startsWith('application/json')) return undefined;
  try {
    return JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The user and password of an HTTP basic `Authorization` header. */
export function basicCredentials(request: ReceivedRequest): { user: string; password: string } | undefined {
  const match = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The token of an `Authorization: Bearer …` header. */
export function bearerToken(request: ReceivedRequest): string | undefined {
  return /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
}
