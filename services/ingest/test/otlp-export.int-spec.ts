import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { eventually, TestStack } from '@nudge/testing';

const ROOT = path.resolve(__dirname, '../../..');

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
    const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'services/ingest'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`building ingest failed:\n${build.stdout}${build.stderr}`);
    receiver = await anOtlpReceiver();
    // A database and topics of its own; the service itself runs as a process.
    stack = await TestStack.start({ factories: {}, label: 'otlp' });
    const port = await freePort();
    ingestUrl = `http://127.0.0.1:${port}`;
    ingest = spawn(process.execPath, [path.join(ROOT, 'services/ingest/dist/main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...stack.env,
        INGEST_PORT: String(port),
        LOG_LEVEL: 'error',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: '50',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await eventually(async () => ((await fetch(`${ingestUrl}/health`).catch(() => undefined))?.ok ? true : undefined), {
      what: 'ingest healthy',
      timeoutMs: 60_000,
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
