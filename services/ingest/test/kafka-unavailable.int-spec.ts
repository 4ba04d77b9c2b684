import type { INestApplication } from '@nestjs/common';
import type { JsonProducer } from '@nudge/kafka';
import { PRODUCER } from '@nudge/service-runtime';
import type { TestStack } from '@nudge/testing';
import { startIngestWithApp } from './support/ingest-stack';

// Kafka "goes down" for this app alone: its producer is disconnected, the shared broker stays up.
describe('ingest: while Kafka is unavailable', () => {
  let stack: TestStack;
  let app: () => INestApplication;
  const producer = () => app().get<JsonProducer>(PRODUCER);

  beforeAll(async () => {
    ({ stack, app } = await startIngestWithApp('ingest-unavailable'));
    expect((await stack.client('ingest').put('/v1/users/kept', { attributes: { firstName: 'Kept' } })).status).toBe(200);
    await producer().disconnect();
  });

  afterAll(() => stack?.stop());

  it('answers 503 unavailable to events', async () => {
    const posted = await stack.client('ingest').post('/v1/events/batch', { events: [{ eventId: 'e-1', userId: 'u1', name: 'x' }] });
    expect(posted.status).toBe(503);
    expect(posted.body.error.code).toBe('unavailable');
  });

  it('answers 503 to a profile update and leaves nothing half-written', async () => {
    const ingest = stack.client('ingest');
    expect((await ingest.put('/v1/users/new-user', { attributes: { firstName: 'New' } })).status).toBe(503);
    expect((await ingest.put('/v1/users/kept', { attributes: { firstName: 'Changed' } })).status).toBe(503);

    expect((await ingest.get('/v1/users/new-user')).status).toBe(404);
    expect((await ingest.get('/v1/users/kept')).body).toMatchObject({ version: 1, attributes: { firstName: 'Kept' } });
  });

  it('answers 503 to an erasure and keeps the profile', async () => {
    expect((await stack.client('ingest').delete('/v1/users/kept')).status).toBe(503);
    expect((await stack.client('ingest').get('/v1/users/kept')).status).toBe(200);
  });

  it('accepts events again once Kafka is back', async () => {
    await producer().connect();
    const posted = await stack.client('ingest').post('/v1/events', { eventId: 'e-1', userId: 'u1', name: 'x' });
    expect(posted).toMatchObject({ status: 202, body: { accepted: 1 } });
  });
});
