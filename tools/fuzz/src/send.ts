import http from 'node:http';
import type { FuzzRequest } from './requests';

/** What came back: a status and the start of the body, or why nothing did. */
export interface FuzzAnswer {
  status: number | null;
  contentType: string;
  /** The body, up to `MAX_BODY` characters. */
  body: string;
  /** Set when no complete answer arrived (timeout, reset). */
  failure?: string;
}

/** Enough to parse any error body whole (some echo a large input back); printing takes only the start. */
const MAX_BODY = 4 * 1024 * 1024;

/**
 * Sends `request` to `baseUrl` (a loopback `http://127.0.0.1:port`) byte for byte: the
 * path as built, no normalisation. An event stream is closed once its headers arrive.
 */
export function send(baseUrl: string, request: FuzzRequest, timeoutMs: number): Promise<FuzzAnswer> {
  const url = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new Error(`the fuzz run only talks to loopback, not ${url.hostname}`);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: FuzzAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    let outgoing: http.ClientRequest;
    try {
      outgoing = http.request({
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port),
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}), connection: 'close' },
        agent: false,
      });
    } catch (error) {
      finish({ status: null, contentType: '', body: '', failure: `not sendable: ${(error as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      outgoing.destroy();
      finish({ status: null, contentType: '', body: '', failure: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    // A server may answer (413) before the body is all written, then close: the answer counts, not the broken write.
    let answered: { status: number; contentType: string; text: string } | null = null;
    outgoing.on('error', (error) =>
      finish(
        answered
          ? { status: answered.status, contentType: answered.contentType, body: answered.text }
          : { status: null, contentType: '', body: '', failure: error.message },
      ),
    );
    outgoing.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const contentType = String(response.headers['content-type'] ?? '');
      answered = { status, contentType, text: '' };
      if (contentType.startsWith('text/event-stream')) {
        response.destroy();
        finish({ status, contentType, body: '' });
        return;
      }
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (text.length < MAX_BODY) text += chunk;
        if (answered) answered.text = text;
      });
      response.on('end', () => finish({ status, contentType, body: text.slice(0, MAX_BODY) }));
      response.on('error', (error) => finish({ status, contentType, body: text, failure: error.message }));
      response.on('close', () => finish({ status, contentType, body: text.slice(0, MAX_BODY) }));
    });
    outgoing.end(body);
  });
}
