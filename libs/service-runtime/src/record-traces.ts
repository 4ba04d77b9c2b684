import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type SpanContext } from '@opentelemetry/api';
import type { ConsumedRecord } from '@nudge/kafka';
import { spanContextOfHeaders, traceHeaders } from './trace-headers';
import { tracerOf, tracingEnabled, type TracedService } from './tracing';

/** How many records' span contexts a service keeps for the stages after their batch (oldest dropped first). */
const DEFAULT_REMEMBERED = 10_000;

/** The span names of a consumed slice: one span for the batch, one child span per record. */
export interface ConsumeSpans {
  batch: string;
  record: string;
}

/**
 * The traces of the records a service consumes, carried from record to record: a consumed
 * slice gets a batch span linked to every record's producer span and, per record, a child
 * span of that producer span, remembered under a key the later stages know (the event id,
 * the send id) so that what they publish or call continues the record's trace. Every method
 * is a plain call of its work when tracing is off: no span, no header, nothing remembered.
 */
export class RecordTraces {
  private readonly remembered = new Map<string, SpanContext>();

  constructor(
    private readonly service: TracedService,
    private readonly limit = DEFAULT_REMEMBERED,
  ) {}

  /**
   * Runs `handle` for a consumed slice inside its spans (see the class). The records' span
   * contexts stay remembered after `handle` when `keep` is true (a later stage of the same
   * service needs them), and are forgotten otherwise.
   */
  async consume<T, R>(
    spans: ConsumeSpans,
    records: readonly ConsumedRecord<T>[],
    keyOf: (record: ConsumedRecord<T>) => string,
    handle: () => Promise<R>,
    keep = false,
  ): Promise<R> {
    if (!tracingEnabled() || records.length === 0) return handle();
    const tracer = tracerOf(this.service);
    const producers = records.map((record) => spanContextOfHeaders(record.headers));
    const batch = tracer.startSpan(
      spans.batch,
      {
        kind: SpanKind.CONSUMER,
        links: producers.flatMap((producer) => (producer ? [{ context: producer }] : [])),
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': records[0]!.topic,
          'messaging.batch.message_count': records.length,
        },
      },
      ROOT_CONTEXT,
    );
    const batchLink = [{ context: batch.spanContext() }];
    const keys = records.map(keyOf);
    const recordSpans = records.map((record, i) => {
      const producer = producers[i];
      const parent = producer ? trace.setSpanContext(ROOT_CONTEXT, producer) : trace.setSpan(ROOT_CONTEXT, batch);
      const span = tracer.startSpan(
        spans.record,
        {
          kind: SpanKind.CONSUMER,
          links: batchLink,
          attributes: {
            'messaging.destination.name': record.topic,
            'messaging.destination.partition.id': String(record.partition),
            'messaging.kafka.offset': Number(record.offset),
            'nudge.key': keys[i]!,
          },
        },
        parent,
      );
      this.remember(keys[i]!, span.spanContext());
      return span;
    });
    const all = [batch, ...recordSpans];
    try {
      return await context.with(trace.setSpan(ROOT_CONTEXT, batch), handle);
    } catch (error) {
      for (const span of all) failed(span, error);
      throw error;
    } finally {
      for (const span of all) span.end();
      if (!keep) for (const key of keys) this.remembered.delete(key);
    }
  }

  /** The trace headers of a record published on behalf of `key` (a child of its span); undefined when none is remembered. */
  headersOf(key: string): Record<string, string> | undefined {
    if (this.remembered.size === 0) return undefined;
    const parent = this.remembered.get(key);
    return parent === undefined ? undefined : traceHeaders(trace.setSpanContext(ROOT_CONTEXT, parent));
  }

  /**
   * Runs `call` — an outbound call made for `key` (a provider call for a send) — in a client
   * span, the child of `key`'s remembered span (a trace of its own when none is remembered);
   * `describe` adds attributes of its result.
   */
  async call<R>(
    name: string,
    key: string,
    attributes: Attributes,
    call: () => Promise<R>,
    describe?: (result: R) => Attributes,
  ): Promise<R> {
    if (!tracingEnabled()) return call();
    const parent = this.remembered.get(key);
    const span = tracerOf(this.service).startSpan(
      name,
      { kind: SpanKind.CLIENT, attributes: { ...attributes, 'nudge.key': key } },
      parent === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, parent),
    );
    try {
      const result = await context.with(trace.setSpan(ROOT_CONTEXT, span), call);
      if (describe) span.setAttributes(describe(result));
      return result;
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  private remember(key: string, spanContext: SpanContext): void {
    this.remembered.delete(key);
    if (this.remembered.size >= this.limit) {
      const oldest = this.remembered.keys().next();
      if (!oldest.done) this.remembered.delete(oldest.value);
    }
    this.remembered.set(key, spanContext);
  }
}

function failed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  if (error instanceof Error) span.recordException(error);
}
