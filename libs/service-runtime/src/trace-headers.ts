import { context, propagation, ROOT_CONTEXT, trace, type Context, type SpanContext, type TextMapGetter } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import { tracingEnabled } from './tracing';

/** Reads W3C trace headers from a Kafka record's headers (Buffers as kafkajs hands them over). */
const kafkaHeaders: TextMapGetter<IHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value = headers[key];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.map(String) : value.toString();
  },
};

/**
 * The W3C trace headers (`traceparent`, and `tracestate` if any) of `ctx` — by default the
 * active one — for a Kafka record; undefined when tracing is off or `ctx` holds no span, so a
 * producer then writes no header at all.
 */
export function traceHeaders(ctx?: Context): Record<string, string> | undefined {
  if (!tracingEnabled()) return undefined;
  const headers: Record<string, string> = {};
  propagation.inject(ctx ?? context.active(), headers);
  return headers.traceparent === undefined ? undefined : headers;
}

/** The span context a record's producer wrote in its headers, if any (and only when tracing is on). */
export function spanContextOfHeaders(headers: IHeaders | undefined): SpanContext | undefined {
  if (!headers || headers.traceparent === undefined || !tracingEnabled()) return undefined;
  return trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers, kafkaHeaders));
}
