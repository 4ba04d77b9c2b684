import { eventually, type TestStack } from '@nudge/testing';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aCampaign, startNudge } from './support/nudge-stack';

// Issue #10 §2: logs never carry addresses, message bodies or profile data, on the happy
// path or the failing ones. Every service of the stack appends its log to one LOG_FILE
// (in one process the three share pino's root logger, so the `service` field is not told apart).
describe("a profile's personal data never reaches the logs", () => {
  const MARKERS = {
    name: 'Zorblaxine',
    phone: '+34611987654',
    email: 'zorblax.marker@example.com',
    property: 'qwfp-cart-marker',
  };
  const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'nudge-logs-')), 'nudge.log');
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'log-redaction', env: { LOG_FILE: logFile, LOG_LEVEL: 'debug' } });
    const campaign = aCampaign('marker-cart')
      .withBody(
        'Hi {{ profile.attributes.firstName }} ({{ profile.attributes.email }}), {{ event.properties.cart }} is waiting{{ profile.attributes.nickname }}',
      )
      .build();
    expect((await stack.client('rules').put('/v1/campaigns/marker-cart', campaign)).status).toBe(200);
  });

  afterAll(() => stack?.stop());

  const profile = (phone: string) => ({
    attributes: { firstName: MARKERS.name, email: MARKERS.email },
    timezone: 'Europe/Madrid',
    country: 'ES',
    channels: {
      sms: { address: phone, consent: { marketing: true, transactional: true } },
      email: { address: MARKERS.email, consent: { marketing: true, transactional: true } },
    },
  });

  async function messageOf(userId: string, status: string) {
    return eventually(
      async () => {
        const { body } = await stack.client('dispatch').get(`/v1/messages?userId=${userId}`);
        return body.items.find((m: { status: string }) => m.status === status);
      },
      { what: `a ${status} message for ${userId}` },
    );
  }

  it('logs something, yet no marker, after a delivery, a permanent provider failure, a failed query and refused requests', async () => {
    expect((await stack.client('ingest').put('/v1/users/marker-ok', profile(MARKERS.phone))).status).toBe(200);
    expect((await stack.client('ingest').put('/v1/users/marker-fail', profile(`${MARKERS.phone}#fail`))).status).toBe(200);
    for (const userId of ['marker-ok', 'marker-fail']) {
      const posted = await stack
        .client('ingest')
        .post('/v1/events', { userId, name: 'cart_abandoned', properties: { cart: MARKERS.property } });
      expect(posted.status).toBe(202);
    }
    const delivered = await messageOf('marker-ok', 'delivered');
    expect(delivered.body).toContain(MARKERS.name);
    const failed = await messageOf('marker-fail', 'failed');
    expect(failed.failureReason).toContain(MARKERS.phone);

    // Refused at the edge: a profile that does not validate, quoting the markers.
    const refused = await stack
      .client('ingest')
      .put('/v1/users/marker-bad', { ...profile(MARKERS.phone), timezone: `${MARKERS.name}/${MARKERS.email}` });
    expect(refused.status).toBe(400);
    // Refused by Postgres, unless the edge catches it first: jsonb holds no NUL, and the failed query carries the markers.
    const nul = await stack
      .client('ingest')
      .put('/v1/users/marker-nul', { ...profile(MARKERS.phone), attributes: { firstName: MARKERS.name, note: 'a\u0000b' } });
    expect(nul.status).toBeGreaterThanOrEqual(400);

    const log = readFileSync(logFile, 'utf8');
    expect(log.length).toBeGreaterThan(0);
    // Each service wrote to it: rules saved the campaign, ingest accepted events, dispatch rendered a missing variable.
    for (const line of ['campaign marker-cart created', 'accepted 1 events', 'template variables missing']) expect(log).toContain(line);
    for (const [what, marker] of Object.entries(MARKERS)) {
      expect({ what, found: log.includes(marker) }).toEqual({ what, found: false });
    }
  });
});
