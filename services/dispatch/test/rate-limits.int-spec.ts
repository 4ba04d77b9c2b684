import {
  aSendRequest,
  messagesOf,
  publishSendRequests,
  saveSettings,
  startDispatch,
  type DispatchHarness,
  type MessageItem,
} from './support/dispatch-stack';
import { eventually } from '@nudge/testing';

describe('provider rate limits', () => {
  let dispatch: DispatchHarness;

  beforeAll(async () => {
    dispatch = await startDispatch('dispatch-rate-limits');
    await saveSettings(dispatch, { providers: { sms: { provider: 'sandbox', rateLimit: '10/s' } } });
  });

  afterAll(() => dispatch?.stop());

  it('30 messages through a provider limited to 10/s are all delivered, spread over two seconds', async () => {
    const requests = Array.from({ length: 30 }, (_, i) =>
      aSendRequest({ userId: 'rl', triggerEventId: `e-rl-${i}`, to: `+346000005${String(i).padStart(2, '0')}` }),
    );
    await publishSendRequests(dispatch, ...requests);

    const delivered = await eventually(
      async () => {
        const messages = await messagesOf(dispatch, 'rl');
        return messages.length === 30 && messages.every((m) => m.status === 'delivered') ? messages : undefined;
      },
      { what: '30 delivered messages', timeoutMs: 30_000 },
    );

    const sentAt = delivered.map(sentTime).sort((a, b) => a - b);
    const spreadMs = sentAt[sentAt.length - 1]! - sentAt[0]!;
    // A full bucket lets 10 go at once; the other 20 follow at 10 per second.
    expect(spreadMs).toBeGreaterThanOrEqual(1_800);
    expect(spreadMs).toBeLessThan(6_000);
    for (const first of sentAt) {
      const withinOneSecond = sentAt.filter((t) => t >= first && t < first + 1_000).length;
      expect(withinOneSecond).toBeLessThanOrEqual(20);
    }
  });
});

function sentTime(message: MessageItem): number {
  const sent = message.statusHistory.find((s) => s.status === 'sent');
  if (!sent) throw new Error(`message ${message.id} has no sent status`);
  return Date.parse(sent.at);
}
