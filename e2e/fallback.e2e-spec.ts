import { eventually, type TestStack } from '@nudge/testing';
import { aCampaign, startNudge } from './support/nudge-stack';

// Fallback chains: WhatsApp first; SMS only if the WhatsApp message is not read in time.
// Dispatch observes (fallback_due), rules decides and logs the fallback like any send; the
// window, consent and deferral cases are in fallback-rules.e2e-spec.ts.
describe('fallback from whatsapp to sms', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'fallback' });
    const campaign = {
      ...aCampaign('wa-first').triggeredBy('order_ready').build(),
      message: { channel: ['whatsapp', 'sms'], fallbackAfter: 'PT5S', body: 'Your order is ready' },
    };
    expect((await stack.client('rules').put('/v1/campaigns/wa-first', campaign)).status).toBe(200);
  });

  afterAll(() => stack?.stop());

  function aBothChannelsProfile(phone: string) {
    return {
      channels: {
        whatsapp: { address: phone, consent: { marketing: true } },
        sms: { address: phone, consent: { marketing: true } },
      },
    };
  }

  async function messagesOf(userId: string) {
    return (await stack.client('dispatch').get(`/v1/messages?userId=${userId}`)).body.items as {
      id: string;
      channel: string;
      status: string;
    }[];
  }

  it('sends the SMS when the WhatsApp message is not read in time', async () => {
    await stack.client('ingest').put('/v1/users/fb-1', aBothChannelsProfile('+34600000401'));
    await stack.client('ingest').post('/v1/events', { userId: 'fb-1', name: 'order_ready' });
    const messages = await eventually(
      async () => {
        const items = await messagesOf('fb-1');
        return items.some((m) => m.channel === 'sms' && m.status === 'delivered') ? items : undefined;
      },
      { what: 'the SMS fallback', timeoutMs: 30_000 },
    );
    expect(messages.map((m) => m.channel).sort()).toEqual(['sms', 'whatsapp']);
    const decisions: { stepId: string; outcome: string; reason: string }[] = (await stack.client('rules').get('/v1/users/fb-1/decisions'))
      .body.items;
    expect(decisions.find((d) => d.stepId === 'main>sms')).toMatchObject({
      outcome: 'sent',
      reason: 'fallback after whatsapp unread for PT5S: sent on sms',
    });
  });

  it('sends no SMS when the WhatsApp message was read', async () => {
    await stack.client('ingest').put('/v1/users/fb-2', aBothChannelsProfile('+34600000402'));
    await stack.client('ingest').post('/v1/events', { userId: 'fb-2', name: 'order_ready' });
    const whatsapp = await eventually(async () =>
      (await messagesOf('fb-2')).find((m) => m.channel === 'whatsapp' && m.status === 'delivered'),
    );
    expect((await stack.client('dispatch').post('/v1/providers/sandbox/status', { messageId: whatsapp.id, status: 'read' })).status).toBe(
      200,
    );
    // The fallback time passes: the chain is taken off the schedule without a send.
    await eventually(async () => {
      const { rows } = await query(stack, 'SELECT fallback_at FROM messages WHERE id = $1', [whatsapp.id]);
      return rows[0].fallback_at === null ? true : undefined;
    });
    expect((await messagesOf('fb-2')).map((m) => m.channel)).toEqual(['whatsapp']);
    // Rules' fallback step for it is gone too (cancelled by the read), and nothing was decided for it.
    await eventually(async () => {
      const { rows } = await query(stack, 'SELECT count(*)::int AS n FROM pending_sends WHERE user_id = $1', ['fb-2']);
      return rows[0].n === 0 ? true : undefined;
    });
    const decisions: { stepId: string }[] = (await stack.client('rules').get('/v1/users/fb-2/decisions')).body.items;
    expect(decisions.map((d) => d.stepId)).toEqual(['main']);
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
