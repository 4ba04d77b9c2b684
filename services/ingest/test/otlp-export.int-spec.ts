import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildService, eventually, freePort, startBuiltService, TestStack } from '@nudge/testing';

interface ExportedSpan {
  name: string;
  traceId: string;
  parentSpanId?: string;
}
interface TraceExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: ExportedSpan[] }[];
  }[];
}

/** A tiny OTLP/HTTP (JSON) receiver on loopback: what a collector would be sent. */
async function anOtlpReceiver(): Promise<{ server: Server; url: string; received: { path?: string; body: TraceExport }[] }> {
  const received: { path?: string; body: TraceExport }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as TraceExport });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

// main.ts starts tracing from the standard OpenTelemetry variables: the built service, as a
// process, sends its spans by OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT.
describe('ingest with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof anOtlpReceiver>>;
  let ingest: ChildProcess | undefined;
  let ingestUrl: string;

  beforeAll(async () => {
    buildService('ingest');
    receiver = await anOtlpReceiver();
    // A database and topics of its own; the service itself runs as a process.
    stack = await TestStack.start({ factories: {}, label: 'otlp' });
    const port = await freePort();
    ingestUrl = `http://127.0.0.1:${port}`;
    ingest = await startBuiltService('ingest', port, {
      ...stack.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
  }, 180_000);

  afterAll(async () => {
    ingest?.kill('SIGKILL');
    receiver?.server.closeAllConnections();
    receiver?.server.close();
    await stack?.stop();
  });

  it('exports the span of POST /v1/events under service.name nudge-ingest, continuing the caller trace', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const response = await fetch(`${ingestUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      body: JSON.stringify({ userId: 'otlp-1', name: 'page_viewed' }),
    });
    expect(response.status).toBe(202);

    const exported = await eventually(
      () =>
        receiver.received
          .filter((r) => r.path === '/v1/traces')
          .flatMap((r) => r.body.resourceSpans)
          .find((rs) => rs.scopeSpans.some((ss) => ss.spans.some((s) => s.traceId === traceId))),
      { what: 'the exported span of the request' },
    );
    expect(exported.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'nudge-ingest' } });
    const span = exported.scopeSpans.flatMap((ss) => ss.spans).find((s) => s.traceId === traceId);
    expect(span).toMatchObject({ name: 'POST /v1/events', parentSpanId: 'b7ad6b7169203331' });
  });
});
