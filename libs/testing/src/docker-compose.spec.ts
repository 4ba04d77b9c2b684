import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  ports?: string[];
  environment?: Record<string, string>;
}

const compose = parse(readFileSync(path.join(__dirname, '..', '..', '..', 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};

// Issue #10 §1 and §7: what `docker compose up` exposes, and with which keys.
describe('docker-compose.yml', () => {
  const published = Object.entries(compose.services).flatMap(([name, service]) => (service.ports ?? []).map((port) => [name, port]));

  it('publishes ports, Postgres and Kafka among them', () => {
    expect(published.map(([name]) => name)).toEqual(expect.arrayContaining(['postgres', 'kafka', 'ingest', 'rules', 'dispatch']));
  });

  it.each(published)('publishes %s on 127.0.0.1 only (%s)', (_name, port) => {
    expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it.each(['ingest', 'rules', 'dispatch'])('starts %s only with keys given, never a default one', (name) => {
    const environment = compose.services[name]?.environment ?? {};
    for (const key of ['NUDGE_API_KEY', 'NUDGE_INGEST_KEY', 'NUDGE_INBOX_SECRET']) {
      expect(environment[key]).toMatch(new RegExp(`^\\$\\{${key}:\\?`));
    }
  });
});
