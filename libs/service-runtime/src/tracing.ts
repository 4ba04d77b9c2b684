import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export type TracedService = 'ingest' | 'rules' | 'dispatch';

/** The running provider, or null: tracing is off and every helper here does nothing. */
let provider: NodeTracerProvider | null = null;

/** Whether spans are recorded in this process; when false, nothing on the hot path creates spans or headers. */
export function tracingEnabled(): boolean {
  return provider !== null;
}

/**
 * Starts tracing for `service` from the standard OpenTelemetry variables: on when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set and
 * `OTEL_SDK_DISABLED` is not `true`; spans go by OTLP/HTTP in batches (`OTEL_BSP_*`), under
 * `service.name` `nudge-<service>`. Off otherwise: no provider is registered and the API stays
 * a no-op. Call before the Nest app is created (main.ts).
 */
export function startTracing(service: TracedService, env: NodeJS.ProcessEnv): boolean {
  const url = tracesUrl(env);
  if (url === undefined || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  startTracingWith(new BatchSpanProcessor(new OTLPTraceExporter({ url })), `nudge-${service}`);
  return true;
}

/** Where spans go: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as it is, or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces` (the OTLP/HTTP rule). */
function tracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

/** Registers a tracer provider with `processor` (tests pass an in-memory exporter's); replaces a running one. */
export function startTracingWith(processor: SpanProcessor, serviceName = 'nudge'): void {
  disableGlobals();
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [processor],
  });
  // The W3C trace-context propagator and the async-hooks context manager come with it.
  provider.register();
}

/** Exports what is buffered (a service calls it as it shuts down). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** Flushes and unregisters the provider: tracing is off again. */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  provider = null;
  disableGlobals();
  await stopping?.shutdown();
}

/** The tracer of one service; its instrumentation scope is `nudge-<service>` (services may share a test process). */
export function tracerOf(service: TracedService): Tracer {
  return trace.getTracer(`nudge-${service}`);
}

function disableGlobals(): void {
  trace.disable();
  context.disable();
  propagation.disable();
}
