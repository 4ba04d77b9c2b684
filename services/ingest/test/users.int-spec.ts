import type { TestStack } from '@nudge/testing';
import { profileRecordsOf, startIngest } from './support/ingest-stack';

describe('ingest: profiles and consent', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startIngest('ingest-users');
  });

  afterAll(() => stack?.stop());

  it('merges a second PUT into the first: a channel is added, attributes are kept', async () => {
    const ingest = stack.client('ingest');
    const first = await ingest.put('/v1/users/ana', {
      attributes: { firstName: 'Ana', tier: 'gold' },
      timezone: 'Europe/Madrid',
      country: 'ES',
      channels: { sms: { address: '+34600000001', consent: { marketing: true, transactional: true } } },
    });
    expect(first.status).toBe(200);
    const second = await ingest.put(
      '/v1/users/ana',
      { attributes: { tier: 'platinum' }, channels: { email: { address: 'ana@example.com', consent: { marketing: true } } } },
      { 'X-Nudge-Source': 'signup-form' },
    );
    expect(second.status).toBe(200);

    const { status, body: profile } = await ingest.get('/v1/users/ana');
    expect(status).toBe(200);
    expect(profile).toEqual(second.body);
    expect(profile).toMatchObject({
      userId: 'ana',
      attributes: { firstName: 'Ana', tier: 'platinum' },
      timezone: 'Europe/Madrid',
      country: 'ES',
      version: 2,
      channels: {
        sms: { address: '+34600000001', consent: { marketing: true, transactional: true } },
        email: { address: 'ana@example.com', consent: { marketing: true } },
      },
    });
  });

  it('records when and from where each consent was given', async () => {
    const before = Date.now();
    await stack.client('ingest').put('/v1/users/bea', { channels: { sms: { address: '+34600000002', consent: { marketing: true } } } });
    await stack
      .client('ingest')
      .put('/v1/users/bea', { channels: { whatsapp: { consent: { transactional: true } } } }, { 'X-Nudge-Source': 'crm-sync' });

    const { body } = await stack.client('ingest').get('/v1/users/bea');
    expect(body.channels.sms.consentLog.marketing).toEqual({ value: true, at: expect.any(String), source: 'api' });
    expect(body.channels.whatsapp.consentLog.transactional).toMatchObject({ value: true, source: 'crm-sync' });
    expect(Date.parse(body.channels.sms.consentLog.marketing.at)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('publishes every merged profile to the profiles topic, keyed by userId', async () => {
    await stack.client('ingest').put('/v1/users/carla', { attributes: { firstName: 'Carla' } });
    const { body: latest } = await stack.client('ingest').put('/v1/users/carla', { locale: 'es-ES' });

    const records = await profileRecordsOf(stack, 'carla', (mine) => mine.length >= 2);
    expect(records.map((r) => r.value.version)).toEqual([1, 2]);
    expect(records[1]?.value).toEqual(latest);
  });

  it('answers 404 not_found for a user it has never seen', async () => {
    const { status, body } = await stack.client('ingest').get('/v1/users/nobody');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('erases a user: GET answers 404 afterwards and a tombstone is published', async () => {
    const ingest = stack.client('ingest');
    await ingest.put('/v1/users/dora', { attributes: { firstName: 'Dora' } });
    expect((await ingest.delete('/v1/users/dora')).status).toBe(204);

    expect((await ingest.get('/v1/users/dora')).status).toBe(404);
    const records = await profileRecordsOf(stack, 'dora', (mine) => mine.some((r) => r.value === null));
    expect(records.map((r) => r.value?.version ?? null)).toEqual([1, null]);
  });

  it('answers 204 to erasing an unknown user (erasure is idempotent)', async () => {
    expect((await stack.client('ingest').delete('/v1/users/never-seen')).status).toBe(204);
  });

  it.each([
    ['an unknown key', 'nickname', { nickname: 'Ana' }],
    ['an unknown field of a channel', 'channels.sms.number', { channels: { sms: { number: '+34600000001' } } }],
    ['a time zone that does not exist', 'timezone', { timezone: 'Mars/Olympus' }],
  ])('answers 400 to a PUT with %s, naming %s, and stores nothing', async (_case, path, update) => {
    const { status, body } = await stack.client('ingest').put('/v1/users/emma', update);
    expect(status).toBe(400);
    expect(body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect((await stack.client('ingest').get('/v1/users/emma')).status).toBe(404);
  });

  it('answers 400 naming userId when it is longer than 256 characters', async () => {
    const { status, body } = await stack.client('ingest').put(`/v1/users/${'u'.repeat(257)}`, {});
    expect(status).toBe(400);
    expect(body.error.details).toEqual([{ path: 'userId', message: expect.any(String) }]);
  });
});
