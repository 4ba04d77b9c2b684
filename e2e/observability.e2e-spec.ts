import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { startTracingWith, stopTracing } from '@nudge/service-runtime';
import { eventually, type ServiceName, type TestStack } from '@nudge/testing';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

const SERVICES: ServiceName[] = ['ingest', 'rules', 'dispatch'];

// "See inside": one trace per event across the three services (W3C traceparent in Kafka
// headers), stage histograms, and a dashboard that queries only what the services export.
describe('traces and metrics on the real stack', () => {
  let stack: TestStack;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    // As main.ts does with OTEL_EXPORTER_OTLP_ENDPOINT, before the apps exist; spans kept in memory.
    startTracingWith(new SimpleSpanProcessor(exporter));
    stack = await startNudge({ label: 'observability' });
  });

  afterAll(async () => {
    await stack?.stop();
    await stopTracing();
  });

  const metricsOf = async (service: ServiceName): Promise<string> => {
    const { status, body } = await stack.client(service).get('/metrics');
    expect(status).toBe(200);
    return body as string;
  };

  it('one trace follows an event from POST /v1/events through its decision and intake to the provider call', async () => {
    const { status } = await stack.client('rules').put('/v1/campaigns/traced', aCampaign('traced').triggeredBy('traced_event').build());
    expect(status).toBe(200);
    await stack.client('ingest').put('/v1/users/tr-1', aReachableProfile('Tara', '+34600000301'));
    // The caller's own trace is continued.
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const posted = await stack
      .client('ingest')
      .post(
        '/v1/events',
        { userId: 'tr-1', name: 'traced_event', eventId: 'tr-e1' },
        { traceparent: `00-${callerTrace}-${callerSpan}-01` },
      );
    expect(posted.status).toBe(202);

    const call = await eventually(
      () => exporter.getFinishedSpans().find((s) => s.name === 'dispatch.provider_call' && s.spanContext().traceId === callerTrace),
      { what: 'the provider call span of the traced event' },
    );
    const trace = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === callerTrace);
    const one = (name: string, where: (s: ReadableSpan) => boolean = () => true) => {
      const found = trace.filter((s) => s.name === name && where(s));
      expect(found.map((s) => s.name)).toEqual([name]);
      return found[0]!;
    };
    const post = one('POST /v1/events');
    const decide = one('rules.decide', (s) => s.attributes['nudge.key'] === 'tr-e1');
    const intake = one('dispatch.intake');
    const idOf = (span: ReadableSpan) => span.spanContext().spanId;

    expect(post).toMatchObject({ kind: SpanKind.SERVER, instrumentationScope: { name: 'nudge-ingest' } });
    expect(post.parentSpanContext?.spanId).toBe(callerSpan);
    expect(post.attributes).toMatchObject({ 'http.route': '/v1/events', 'http.response.status_code': 202 });
    expect(decide.instrumentationScope.name).toBe('nudge-rules');
    expect(decide.parentSpanContext?.spanId).toBe(idOf(post));
    expect(intake.instrumentationScope.name).toBe('nudge-dispatch');
    expect(intake.parentSpanContext?.spanId).toBe(idOf(decide));
    expect(call).toMatchObject({ kind: SpanKind.CLIENT, attributes: { 'nudge.channel': 'sms', 'nudge.outcome': 'accepted' } });
    expect(call.parentSpanContext?.spanId).toBe(idOf(intake));

    // Each batch span (a trace of its own) links to the records it consumed, and each record span to its batch.
    const batchOf = (name: string, record: ReadableSpan) => {
      const batch = exporter
        .getFinishedSpans()
        .find((s) => s.name === name && s.links.some((l) => l.context.spanId === record.parentSpanContext?.spanId));
      expect(batch).toBeDefined();
      expect(record.links.map((l) => l.context.spanId)).toContain(idOf(batch!));
    };
    batchOf('rules.consume', decide);
    batchOf('dispatch.consume', intake);
  });

  it('times each stage, each provider call and each HTTP request by route template', async () => {
    // The event of the test above has been sent: every stage has at least one observation.
    const count = (text: string, name: string, labels: string) =>
      Number(new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    const rules = await metricsOf('rules');
    const dispatch = await metricsOf('dispatch');
    const ingest = await metricsOf('ingest');
    expect(count(rules, 'nudge_stage_seconds_count', 'stage="event_to_decided"')).toBeGreaterThanOrEqual(1);
    expect(count(dispatch, 'nudge_stage_seconds_count', 'stage="decided_to_queued"')).toBeGreaterThanOrEqual(1);
    expect(count(dispatch, 'nudge_stage_seconds_count', 'stage="queued_to_sent"')).toBeGreaterThanOrEqual(1);
    expect(count(dispatch, 'nudge_provider_call_seconds_count', 'channel="sms"')).toBeGreaterThanOrEqual(1);
    expect(count(ingest, 'nudge_http_request_duration_seconds_count', 'route="/v1/events",status_class="2xx"')).toBeGreaterThanOrEqual(1);
    // A user id in the URL never becomes a label value: the route template does.
    expect(ingest).toContain('route="/v1/users/:userId"');
    expect(ingest).not.toContain('tr-1');
    // Stock process metrics, without a prefix.
    expect(ingest).toMatch(/^process_cpu_seconds_total\{/m);
    expect(ingest).toMatch(/^nodejs_eventloop_lag_p99_seconds\{/m);
  });

  it('the Grafana dashboard queries only metrics the services export', async () => {
    const exported = new Set<string>();
    for (const service of SERVICES) for (const name of exportedNames(await metricsOf(service))) exported.add(name);
    const dashboard = JSON.parse(readFileSync(path.join(__dirname, '..', 'deploy', 'grafana', 'nudge-dashboard.json'), 'utf8'));
    const queried = queriesOf(dashboard).flatMap(metricNamesIn);
    expect(queried.length).toBeGreaterThan(10);
    expect([...new Set(queried.filter((name) => !exported.has(name)))]).toEqual([]);
  });
});

/** Every series name a Prometheus text exposition can hold: histograms as their `_bucket`, `_sum` and `_count`. */
function exportedNames(text: string): string[] {
  return [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) =>
    type === 'histogram' || type === 'summary' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`, name!] : [name!],
  );
}

/** The PromQL of every panel target and query variable of a dashboard. */
function queriesOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(queriesOf);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    (key === 'expr' || key === 'definition') && typeof value === 'string' ? [value] : queriesOf(value),
  );
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset']);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords, labels or numbers. */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '')
    .replace(/label_values\(([^,]+),[^)]*\)/g, '$1');
  return [...bare.matchAll(/(?<![\w$.])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)]
    .map(([, name]) => name!)
    .filter((name) => !PROMQL_WORDS.has(name));
}
