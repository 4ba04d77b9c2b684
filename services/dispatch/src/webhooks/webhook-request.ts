import type { WebhookRequest } from '@nudge/channels';
import type { RequestWithRawBody } from '@nudge/service-runtime';

/**
 * A provider's callback as adapters see it: the URL it called (our public URL, as it
 * signs that), lower-cased headers, the body bytes exactly as received and the body parsed
 * (JSON or form; a body of another type, e.g. SNS's text/plain JSON, is parsed as JSON when it is).
 */
export function webhookRequestOf(request: RequestWithRawBody, publicUrl: string): WebhookRequest {
  const bytes = Buffer.isBuffer(request.body) ? request.body : undefined;
  return {
    url: `${publicUrl.replace(/\/+$/, '')}${request.originalUrl}`,
    method: request.method,
    headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), joined(value)])),
    rawBody: request.rawBody ?? bytes ?? Buffer.alloc(0),
    body: bytes ? jsonOrText(bytes) : request.body,
    query: Object.fromEntries(Object.entries(request.query ?? {}).map(([name, value]) => [name, firstString(value)])),
  };
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function firstString(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

function jsonOrText(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
