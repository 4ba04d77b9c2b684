import { startFakeProviderServer, type FakeAnswer, type FakeProviderServer } from '@nudge/channels/testing';
import { readTopic } from '@nudge/testing';
import {
  aSendRequest,
  messageReaching,
  publishSendRequests,
  saveSettings,
  startDispatch,
  type DispatchHarness,
} from './support/dispatch-stack';

const SID = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TOKEN = 'f3c2d1b0a9e8f7d6c5b4a3928170f6e5';
const SERVICE = 'MGbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
/** Long past the six attempts of 50, 100, 200, 200, 200 ms dispatch used to give up after. */
const OUTAGE_MS = 3_000;

/**
 * A Twilio Messages API that is down (503, every other answer with `Retry-After: 1`) until
 * `outageUntil`, then creates messages; it counts the messages it created per recipient.
 */
async function startFlakyTwilio(): Promise<FakeProviderServer & { created: string[]; downFor(ms: number): void }> {
  const created: string[] = [];
  let answered = 0;
  const state = { outageUntil: 0 };
  const server = await startFakeProviderServer((request): FakeAnswer => {
    answered += 1;
    if (Date.now() < state.outageUntil) {
      return {
        status: 503,
        body: { code: 20503, message: 'Service Unavailable', status: 503 },
        ...(answered % 2 === 0 && { headers: { 'retry-after': '1' } }),
      };
    }
    const to = new URLSearchParams(request.rawBody.toString('utf8')).get('To') ?? '';
    created.push(to);
    return { status: 201, body: { sid: `SM${String(created.length).padStart(32, '0')}`, status: 'queued' } };
  });
  return Object.assign(server, {
    created,
    downFor: (ms: number) => {
      state.outageUntil = Date.now() + ms;
    },
  });
}

describe('dispatch rides out a provider outage', () => {
  let dispatch: DispatchHarness;
  let twilio: Awaited<ReturnType<typeof startFlakyTwilio>>;

  beforeAll(async () => {
    twilio = await startFlakyTwilio();
    dispatch = await startDispatch('dispatch-outage', {
      DISPATCH_RETRY_BASE_MS: '50',
      DISPATCH_RETRY_MAX_MS: '200',
      DISPATCH_BREAKER_FAILURES: '5',
      DISPATCH_BREAKER_PROBE_SECONDS: '1',
      NUDGE_ALLOW_PROVIDER_BASE_URL: '1',
      NUDGE_SECRET_TWILIO_SID: SID,
      NUDGE_SECRET_TWILIO_TOKEN: TOKEN,
    });
    const twilioSettings = {
      provider: 'twilio',
      accountSidEnv: 'NUDGE_SECRET_TWILIO_SID',
      authTokenEnv: 'NUDGE_SECRET_TWILIO_TOKEN',
      baseUrl: twilio.baseUrl,
      timeoutMs: 2_000,
    };
    await saveSettings(dispatch, {
      providers: {
        sms: { ...twilioSettings, from: '+15005550006' },
        // RCS through the same fake, retried for two seconds only.
        rcs: { ...twilioSettings, messagingServiceSid: SERVICE, maxRetryAge: 'PT2S' },
      },
    });
  });

  afterAll(async () => {
    await dispatch?.stop();
    await twilio?.close();
  });

  it('keeps retrying through an outage longer than six attempts (503 with and without Retry-After), then sends the message once', async () => {
    twilio.downFor(OUTAGE_MS);
    await publishSendRequests(dispatch, aSendRequest({ userId: 'ana', triggerEventId: 'e-outage-1', to: '+34600000011' }));

    const message = await messageReaching(dispatch, 'ana', 'e-outage-1', 'sent', 15_000);
    expect(message.statusHistory.map((s) => s.status)).toEqual(['queued', 'sent']);
    expect(twilio.created.filter((to) => to === '+34600000011')).toHaveLength(1);
    const calls = twilio.requests.filter((r) => new URLSearchParams(r.rawBody.toString('utf8')).get('To') === '+34600000011');
    expect(calls.length).toBeGreaterThan(1);
  });

  it('opens the breaker in an outage: messages stay queued without burning calls, a probe finds the provider back, each is sent once', async () => {
    const recipients = Array.from({ length: 20 }, (_, i) => `+346000001${String(i).padStart(2, '0')}`);
    const callsTo = (to: string) => twilio.requests.filter((r) => new URLSearchParams(r.rawBody.toString('utf8')).get('To') === to).length;
    twilio.downFor(4_000);
    await publishSendRequests(
      dispatch,
      ...recipients.map((to, i) => aSendRequest({ userId: `held-${i}`, triggerEventId: `e-held-${i}`, to })),
    );
    // Without a breaker each message would be called every 50–200 ms for 4 s: hundreds of calls.
    const messages = await Promise.all(recipients.map((_, i) => messageReaching(dispatch, `held-${i}`, `e-held-${i}`, 'sent', 20_000)));

    const calls = recipients.map(callsTo).reduce((sum, n) => sum + n, 0);
    expect(calls).toBeLessThan(recipients.length * 3);
    for (const to of recipients) expect(twilio.created.filter((created) => created === to)).toHaveLength(1);
    for (const message of messages) expect(message.statusHistory.map((s) => s.status)).toEqual(['queued', 'sent']);
    // Whether a call already in a batch is `held` when the breaker opens depends on how the
    // messages were batched (a loaded machine claims them a few at a time, and the claim takes
    // none of an open breaker's): held calls are tested in provider-calls.spec.ts.
  });

  it("fails a message for good once the provider's maxRetryAge has run out, saying so", async () => {
    twilio.downFor(60_000);
    await publishSendRequests(dispatch, aSendRequest({ userId: 'bea', triggerEventId: 'e-outage-2', to: '+34600000012', channel: 'rcs' }));
    const message = await messageReaching(dispatch, 'bea', 'e-outage-2', 'failed', 15_000);
    expect(message.failureReason).toMatch(/^gave up after \d+ attempts \(the next would be past maxRetryAge PT2S\): Twilio failed/);
    twilio.downFor(0);
  });

  it("expires a message past its campaign's expireAfter instead of sending it late, and publishes the change", async () => {
    // Decided on 2026-11-23 (see aSendRequest): an hour's expireAfter is long past.
    const request = aSendRequest({ userId: 'cai', triggerEventId: 'e-expired-1', to: '+34600000013' });
    await publishSendRequests(dispatch, { ...request, message: { ...request.message, expireAfter: 'PT1H' } });

    const message = await messageReaching(dispatch, 'cai', 'e-expired-1', 'expired');
    expect(message.failureReason).toBe('not sent within its expireAfter (PT1H)');
    expect(message.statusHistory.map((s) => s.status)).toEqual(['queued', 'expired']);
    expect(twilio.created).not.toContain('+34600000013');
    const deliveries = await readTopic(dispatch.stack.brokers, dispatch.stack.topics.deliveries, {
      until: (all) => all.some((d) => d.value.messageId === message.id),
    });
    expect(deliveries.filter((d) => d.value.messageId === message.id).map((d) => d.value.status)).toEqual(['expired']);
  });
});
