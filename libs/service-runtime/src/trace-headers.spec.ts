import { context, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { ConsumedRecord } from '@nudge/kafka';
import { RecordTraces } from './record-traces';
import { spanContextOfHeaders, traceHeaders } from './trace-headers';
import { startTracing, startTracingWith, stopTracing, tracerOf, tracingEnabled } from './tracing';

const aRecord = (key: string, headers?: Record<string, Buffer>): ConsumedRecord<{ id: string }> => ({
  topic: 'nudge.events.v1',
  partition: 0,
  offset: '7',
  key,
  value: { id: key },
  timestamp: '0',
  ...(headers ? { headers } : {}),
});

/** Headers as kafkajs hands them to a consumer: Buffers. */
const asConsumed = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));

describe('trace headers on Kafka records', () => {
  afterEach(() => stopTracing());

  describe('with tracing off', () => {
    it('is off without an OTLP endpoint, or when OTEL_SDK_DISABLED is true', () => {
      expect(startTracing('rules', {})).toBe(false);
      expect(startTracing('rules', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
      expect(tracingEnabled()).toBe(false);
    });

    it('writes no header, reads none, and creates no span', async () => {
      expect(tracingEnabled()).toBe(false);
      const span = trace.getTracer('t').startSpan('x');
      expect(traceHeaders(trace.setSpan(ROOT_CONTEXT, span))).toBeUndefined();
      expect(spanContextOfHeaders(asConsumed({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }))).toBeUndefined();
      const traces = new RecordTraces('rules');
      let called = 0;
      await traces.consume(
        { batch: 'b', record: 'r' },
        [aRecord('e1')],
        (r) => r.value.id,
        async () => called++,
      );
      expect(called).toBe(1);
      expect(traces.headersOf('e1')).toBeUndefined();
      expect(await traces.call('c', 'e1', {}, async () => 'done')).toBe('done');
    });
  });

  describe('with tracing on', () => {
    let exporter: InMemorySpanExporter;
    beforeEach(() => {
      exporter = new InMemorySpanExporter();
      startTracingWith(new SimpleSpanProcessor(exporter));
    });

    it('carries the active span as a W3C traceparent (and tracestate) that reads back as the same span context', () => {
      const span = tracerOf('ingest').startSpan('POST /v1/events', { kind: SpanKind.SERVER });
      const remote = trace.setSpanContext(ROOT_CONTEXT, { ...span.spanContext(), traceState: undefined });
      const headers = context.with(trace.setSpan(ROOT_CONTEXT, span), () => traceHeaders());
      span.end();
      const { traceId, spanId } = span.spanContext();
      expect(headers).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
      expect(spanContextOfHeaders(asConsumed(headers!))).toMatchObject({ traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
      const withState = asConsumed({ traceparent: `00-${traceId}-${spanId}-01`, tracestate: 'vendor=abc' });
      expect(spanContextOfHeaders(withState)?.traceState?.get('vendor')).toBe('abc');
      expect(traceHeaders(trace.setSpanContext(remote, spanContextOfHeaders(withState)!))).toEqual({
        traceparent: `00-${traceId}-${spanId}-01`,
        tracestate: 'vendor=abc',
      });
    });

    it('writes no header where no span is active, and reads nothing from a record without one', () => {
      expect(traceHeaders()).toBeUndefined();
      expect(spanContextOfHeaders({})).toBeUndefined();
      expect(spanContextOfHeaders(undefined)).toBeUndefined();
    });

    it('a consumed batch: one span linked to every producer, a child span per record, and what follows continues it', async () => {
      const producer = tracerOf('ingest').startSpan('POST /v1/events');
      const produced = context.with(trace.setSpan(ROOT_CONTEXT, producer), () => traceHeaders())!;
      producer.end();
      const traces = new RecordTraces('rules');
      let published: Record<string, string> | undefined;
      await traces.consume(
        { batch: 'rules.consume', record: 'rules.decide' },
        [aRecord('e1', asConsumed(produced)), aRecord('e2')],
        (r) => r.value.id,
        async () => {
          published = traces.headersOf('e1');
        },
      );
      const spans = exporter.getFinishedSpans();
      const byName = (name: string) => spans.filter((s) => s.name === name);
      const [batch] = byName('rules.consume');
      const decisions = byName('rules.decide');
      expect(batch?.links.map((l) => l.context.spanId)).toEqual([producer.spanContext().spanId]);
      expect(decisions).toHaveLength(2);
      const [first, second] = decisions;
      expect(first?.spanContext().traceId).toBe(producer.spanContext().traceId);
      expect(first?.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
      expect(first?.links.map((l) => l.context.spanId)).toEqual([batch?.spanContext().spanId]);
      // A record that came without a trace is the batch's child.
      expect(second?.parentSpanContext?.spanId).toBe(batch?.spanContext().spanId);
      expect(published?.traceparent).toBe(`00-${producer.spanContext().traceId}-${first?.spanContext().spanId}-01`);
      // Not kept: the next stage of this service does not need it.
      expect(traces.headersOf('e1')).toBeUndefined();
    });

    it('a kept record context parents a later call, which records its outcome; failures mark the spans', async () => {
      const traces = new RecordTraces('dispatch');
      const producer = tracerOf('rules').startSpan('rules.decide');
      const produced = context.with(trace.setSpan(ROOT_CONTEXT, producer), () => traceHeaders())!;
      producer.end();
      await traces.consume(
        { batch: 'dispatch.consume', record: 'dispatch.intake' },
        [aRecord('s1', asConsumed(produced))],
        (r) => r.value.id,
        async () => undefined,
        true,
      );
      await traces.call(
        'dispatch.provider_call',
        's1',
        { 'nudge.provider': 'sandbox' },
        async () => ({ outcome: 'accepted' }),
        (r) => ({ 'nudge.outcome': r.outcome }),
      );
      await expect(traces.call('dispatch.provider_call', 'unknown', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      const spans = exporter.getFinishedSpans();
      const intake = spans.find((s) => s.name === 'dispatch.intake')!;
      const [call, failed] = spans.filter((s) => s.name === 'dispatch.provider_call');
      expect(call?.parentSpanContext?.spanId).toBe(intake.spanContext().spanId);
      expect(call?.spanContext().traceId).toBe(producer.spanContext().traceId);
      expect(call?.kind).toBe(SpanKind.CLIENT);
      expect(call?.attributes).toMatchObject({ 'nudge.provider': 'sandbox', 'nudge.outcome': 'accepted', 'nudge.key': 's1' });
      expect(call?.instrumentationScope.name).toBe('nudge-dispatch');
      expect(failed?.parentSpanContext).toBeUndefined();
      expect(failed?.status).toMatchObject({ code: 2, message: 'boom' });
    });

    it('keeps a bounded number of record contexts, forgetting the oldest first', async () => {
      const traces = new RecordTraces('dispatch', 2);
      const records = ['a', 'b', 'c'].map((id) => aRecord(id));
      await traces.consume(
        { batch: 'b', record: 'r' },
        records,
        (r) => r.value.id,
        async () => undefined,
        true,
      );
      expect(traces.headersOf('a')).toBeUndefined();
      expect(traces.headersOf('b')).toBeDefined();
      expect(traces.headersOf('c')).toBeDefined();
    });
  });
});
