import { eventually, type TestStack } from '@nudge/testing';
import { aCampaign, startNudge } from './support/nudge-stack';
import { takeOverStackClock } from './support/stack-clock';

// Fallbacks obey the same rules (issue #12 item 8): when a WhatsApp message is not read in time,
// rules decides its SMS fallback like any send — window in the recipient's zone, consent — and
// logs it; a read before the deferred fallback fires cancels it. The stack runs on a clock the
// test moves, so "20:59 in Madrid" is a time it sets, not one it waits for.
describe('fallbacks decided by rules', () => {
  // 2026-11-26 is a Thursday; Madrid is UTC+1 in December.
  const clock = takeOverStackClock('2026-11-26T19:59:00.000Z');
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'fallback-rules' });
    const campaign = {
      ...aCampaign('wa-offer').triggeredBy('offer_ready').build(),
      category: 'marketing',
      timeWindow: { start: '09:00', end: '21:00', timezone: 'recipient', outside: 'defer' },
      message: { channel: ['whatsapp', 'sms'], fallbackAfter: 'PT3S', body: 'Your offer is waiting' },
    };
    expect((await stack.client('rules').put('/v1/campaigns/wa-offer', campaign)).status).toBe(200);
  });

  afterAll(async () => {
    await stack?.stop();
    clock.release();
  });

  function aMadridProfile(phone: string, smsMarketing = true) {
    return {
      timezone: 'Europe/Madrid',
      country: 'ES',
      channels: {
        whatsapp: { address: phone, consent: { marketing: true } },
        sms: { address: phone, consent: { marketing: smsMarketing } },
      },
    };
  }

  type Message = { id: string; channel: string; status: string };
  type Decision = { stepId: string; outcome: string; reason: string; scheduledFor: string | null };

  async function messagesOf(userId: string): Promise<Message[]> {
    return (await stack.client('dispatch').get(`/v1/messages?userId=${userId}`)).body.items;
  }

  async function fallbackDecision(userId: string, outcome: string): Promise<Decision> {
    return eventually(
      async () => {
        const items: Decision[] = (await stack.client('rules').get(`/v1/users/${userId}/decisions`)).body.items;
        return items.find((d) => d.stepId === 'main>sms' && d.outcome === outcome);
      },
      { what: `the ${outcome} decision of ${userId}'s SMS fallback`, timeoutMs: 30_000 },
    );
  }

  /** The user's offer goes out on WhatsApp now (the clock's time) and is delivered, not read. */
  async function whatsAppDelivered(userId: string, phone: string, smsMarketing = true): Promise<Message> {
    expect((await stack.client('ingest').put(`/v1/users/${userId}`, aMadridProfile(phone, smsMarketing))).status).toBe(200);
    const sent = await stack.client('ingest').post('/v1/events', { userId, name: 'offer_ready', timestamp: clock.now().toISOString() });
    expect(sent.status).toBe(202);
    return eventually(async () => (await messagesOf(userId)).find((m) => m.channel === 'whatsapp' && m.status === 'delivered'), {
      what: `${userId}'s WhatsApp message`,
      timeoutMs: 30_000,
    });
  }

  async function pendingFallbacks(userId: string): Promise<number> {
    const { rows } = await query(stack, 'SELECT count(*)::int AS n FROM pending_sends WHERE user_id = $1 AND fallback IS NOT NULL', [
      userId,
    ]);
    return rows[0].n;
  }

  it('defers the SMS fallback of a WhatsApp message unread at 20:59 to 09:00 next day in the recipient zone, logged', async () => {
    clock.set('2026-11-26T19:59:00.000Z'); // 20:59 in Madrid
    await whatsAppDelivered('fr-late', '+34600000501');

    clock.set('2026-11-26T20:00:05.000Z'); // 21:00:05 in Madrid: the fallback comes after the window closed
    const deferred = await fallbackDecision('fr-late', 'deferred_window');
    expect(deferred.scheduledFor).toBe('2026-11-27T08:00:00.000Z'); // 09:00 in Madrid
    expect(deferred.reason).toMatch(/^fallback after whatsapp unread for PT3S: /);
    expect((await messagesOf('fr-late')).map((m) => m.channel)).toEqual(['whatsapp']);

    clock.set('2026-11-27T08:00:01.000Z'); // 09:00:01 next day in Madrid
    const sent = await fallbackDecision('fr-late', 'sent');
    expect(sent.reason).toBe('fallback after whatsapp unread for PT3S: sent on sms');
    const sms = await eventually(async () => (await messagesOf('fr-late')).find((m) => m.channel === 'sms'), { what: 'the SMS' });
    expect(sms.status).not.toBe('failed');
    expect(await pendingFallbacks('fr-late')).toBe(0);
  });

  it('cancels a deferred fallback when the WhatsApp message is read before it fires, logged', async () => {
    clock.set('2026-11-27T19:59:00.000Z'); // Friday 20:59 in Madrid
    const whatsapp = await whatsAppDelivered('fr-read', '+34600000502');
    clock.set('2026-11-27T20:00:05.000Z');
    await fallbackDecision('fr-read', 'deferred_window');

    const read = await stack.client('dispatch').post('/v1/providers/sandbox/status', { messageId: whatsapp.id, status: 'read' });
    expect(read.status).toBe(200);
    const cancelled = await fallbackDecision('fr-read', 'cancelled_exception');
    expect(cancelled.reason).toBe('the whatsapp message was read before its fallback was sent');
    expect(await pendingFallbacks('fr-read')).toBe(0);
    expect((await messagesOf('fr-read')).map((m) => m.channel)).toEqual(['whatsapp']);
  });

  it('falls back at once from a WhatsApp message that failed as it was stored', async () => {
    clock.set('2026-11-28T11:00:00.000Z'); // Saturday 12:00 in Madrid
    const profile = aMadridProfile('+34600000504');
    profile.channels.whatsapp.address = '12'; // no number: the message is failed when dispatch stores it
    expect((await stack.client('ingest').put('/v1/users/fr-failed', profile)).status).toBe(200);
    const event = { userId: 'fr-failed', name: 'offer_ready', timestamp: clock.now().toISOString() };
    expect((await stack.client('ingest').post('/v1/events', event)).status).toBe(202);
    const sent = await fallbackDecision('fr-failed', 'sent');
    expect(sent.reason).toBe('fallback after whatsapp failed: sent on sms');
    const channels = await eventually(async () => {
      const items = await messagesOf('fr-failed');
      return items.length === 2 ? items.map((m) => `${m.channel}:${m.status === 'failed' ? 'failed' : 'ok'}`).sort() : undefined;
    });
    expect(channels).toEqual(['sms:ok', 'whatsapp:failed']);
  });

  it('logs no_consent when the user cannot receive the fallback channel, and sends nothing', async () => {
    clock.set('2026-11-28T10:00:00.000Z'); // Saturday 11:00 in Madrid: inside the window
    await whatsAppDelivered('fr-no-sms', '+34600000503', false);
    clock.set('2026-11-28T10:00:05.000Z');
    const refused = await fallbackDecision('fr-no-sms', 'no_consent');
    expect(refused.reason).toBe('fallback after whatsapp unread for PT3S: no marketing consent on sms');
    expect(await pendingFallbacks('fr-no-sms')).toBe(0);
    expect((await messagesOf('fr-no-sms')).map((m) => m.channel)).toEqual(['whatsapp']);
  });
});

async function query(stack: TestStack, sql: string, params: unknown[]) {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: stack.database.url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}
