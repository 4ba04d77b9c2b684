import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { MAX_ANSWER_BYTES } from '../providers/shared/provider-http';
import { addressRefusal, targetRefusal, type AddressPolicy } from './address-refusal';
import { ADDRESS_REFUSED, screenedLookup, systemResolver, type Resolver } from './screened-lookup';

/** One POST to a URL a profile holds (a webhook URL, a push endpoint). */
export interface ScreenedPost {
  url: URL;
  headers: Record<string, string>;
  body: string | Buffer;
  timeoutMs: number;
}

/**
 * How a screened POST ended: an answer (any status, redirects included: none is followed;
 * the body's first 64 KB), a refusal (the target is internal: no request was made), or no
 * answer (timeout, refused connection, DNS, a body cut off). `sent` says whether the whole
 * request had left before it ended: then the endpoint may have acted on it.
 */
export type ScreenedOutcome =
  | { outcome: 'answered'; status: number; headers: IncomingHttpHeaders; text: string }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'unreachable'; reason: string; timedOut: boolean; sent: boolean };

/**
 * Posts to URLs that come from app data, never inside: the host is resolved by the socket's
 * own lookup, every address screened (`addressRefusal`), and the connection made only to a
 * screened address, so DNS rebinding cannot turn a checked name into an internal one. IP
 * literals and metadata host names are refused before any lookup. Redirects are answers,
 * not followed; answers are read up to 64 KB. Keeps its connections alive per client, and a
 * client serves one policy, so a pooled connection was screened by the same rules.
 */
export class ScreenedHttpClient {
  private readonly agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  constructor(
    private readonly policy: AddressPolicy,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  async post(post: ScreenedPost): Promise<ScreenedOutcome> {
    const refusal = targetRefusal(post.url, this.policy);
    if (refusal !== undefined) return { outcome: 'refused', reason: refusal };
    return new Promise<ScreenedOutcome>((resolve) => {
      let timedOut = false;
      let sent = false;
      const settle = (outcome: ScreenedOutcome): void => {
        clearTimeout(timer);
        resolve(outcome);
      };
      const failed = (error: unknown): void =>
        settle(
          timedOut
            ? { outcome: 'unreachable', reason: `no answer within ${post.timeoutMs} ms`, timedOut, sent }
            : { ...unreachable(error), sent },
        );
      const secure = post.url.protocol === 'https:';
      const options = {
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        agent: secure ? this.agents.https : this.agents.http,
        lookup: screenedLookup(this.resolve, (address) => addressRefusal(post.url, address, this.policy)),
      };
      const request = (secure ? httpsRequest : httpRequest)(post.url, options, (response) => {
        readCapped(response, MAX_ANSWER_BYTES).then(
          (text) => settle({ outcome: 'answered', status: response.statusCode ?? 0, headers: response.headers, text }),
          failed,
        );
      });
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy();
        failed(undefined);
      }, post.timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException) =>
        error.code === ADDRESS_REFUSED ? settle({ outcome: 'refused', reason: error.message }) : failed(error),
      );
      request.once('finish', () => (sent = true));
      request.end(post.body);
    });
  }
}

/** The answer's body as text, at most `maxBytes` of it: past that the connection is dropped, nothing more is read. */
function readCapped(response: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size < maxBytes) return;
      response.destroy();
      resolve(Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'));
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
    response.on('close', () => {
      if (!response.complete) reject(new Error('the answer was cut off'));
    });
  });
}

function unreachable(error: unknown): { outcome: 'unreachable'; reason: string; timedOut: false } {
  const { message, code } = (error ?? {}) as { message?: string; code?: string };
  return { outcome: 'unreachable', reason: message || code || String(error), timedOut: false };
}
