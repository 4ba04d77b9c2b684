import { eventually, type TestStack } from '@nudge/testing';
import { Client } from 'pg';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

// Durable timers: a send pending while rules is down is still sent, exactly once.
describe('a pending send survives a restart of rules', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'restart' });
    await stack.client('rules').put('/v1/campaigns/later', aCampaign('later').withDelay('PT3S').build());
  });

  afterAll(() => stack?.stop());

  it('sends the message once after rules comes back', async () => {
    await stack.client('ingest').put('/v1/users/eva', aReachableProfile('Eva', '+34600000005'));
    await stack.client('ingest').post('/v1/events', { userId: 'eva', name: 'cart_abandoned', properties: { cartValue: 10 } });
    await eventually(async () => {
      const { body } = await stack.client('rules').get('/v1/users/eva/decisions');
      return body.items.find((d: { outcome: string }) => d.outcome === 'scheduled');
    });

    await stack.stopService('rules');
    // Stay down past the due time, so the timer can only fire after the restart.
    const { body: pending } = await stack.client('dispatch').get('/v1/messages?userId=eva');
    expect(pending.items).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await stack.startService('rules');

    const message = await eventually(async () => {
      const { body } = await stack.client('dispatch').get('/v1/messages?userId=eva');
      return body.items.find((m: { status: string }) => m.status === 'delivered');
    });
    expect(message.body).toContain('Eva');
    // The timer is gone once fired, so nothing is left that could send it again.
    expect(await pendingSendsOf(stack, 'eva')).toBe(0);
    const { body: decisions } = await stack.client('rules').get('/v1/users/eva/decisions');
    expect(decisions.items.filter((d: { outcome: string }) => d.outcome === 'sent')).toHaveLength(1);
    const { body: after } = await stack.client('dispatch').get('/v1/messages?userId=eva');
    expect(after.items).toHaveLength(1);
  });
});

describe('a journey run waiting while rules is down', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startNudge({ label: 'restart-journey' });
    const twoStep = {
      id: 'two-step',
      name: 'Two messages, three seconds apart',
      trigger: { event: 'signed_up' },
      steps: [
        { id: 'first', type: 'message', message: { channel: 'sms', body: 'First' } },
        { id: 'pause', type: 'wait', duration: 'PT3S' },
        { id: 'second', type: 'message', message: { channel: 'sms', body: 'Second' } },
      ],
    };
    expect((await stack.client('rules').put('/v1/campaigns/two-step', twoStep)).status).toBe(200);
  });

  afterAll(() => stack?.stop());

  it('takes its next step after the restart, and sends each step once', async () => {
    await stack.client('ingest').put('/v1/users/ines', aReachableProfile('Ines', '+34600000006'));
    await stack.client('ingest').post('/v1/events', { userId: 'ines', name: 'signed_up' });
    await eventually(async () => {
      const { body } = await stack.client('rules').get('/v1/users/ines/journeys');
      return body.items[0]?.stepId === 'pause' ? true : undefined;
    });

    await stack.stopService('rules');
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await stack.startService('rules');

    const bodies = await eventually(async () => {
      const { body } = await stack.client('dispatch').get('/v1/messages?userId=ines');
      return body.items.length === 2 ? body.items.map((m: { body: string }) => m.body).sort() : undefined;
    });
    expect(bodies).toEqual(['First', 'Second']);
    const { body: runs } = await stack.client('rules').get('/v1/users/ines/journeys');
    expect(runs.items).toEqual([expect.objectContaining({ status: 'completed' })]);
    const { body: decisions } = await stack.client('rules').get('/v1/users/ines/decisions');
    const sent = decisions.items.filter((d: { outcome: string }) => d.outcome === 'sent').map((d: { stepId: string }) => d.stepId);
    expect(sent.sort()).toEqual(['first', 'second']);
  });
});

async function pendingSendsOf(stack: TestStack, userId: string): Promise<number> {
  const client = new Client({ connectionString: stack.database.url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM pending_sends WHERE user_id = $1', [userId]);
    return rows[0].n;
  } finally {
    await client.end();
  }
}
