import type { MessageStatus } from '@nudge/contracts';
import type { StoredMessage } from './message';
import { applyReports } from './status-reports';

const at = '2026-11-23T10:30:00.000Z';

function aMessage(status: MessageStatus): StoredMessage {
  return {
    id: '6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11',
    sendId: 'snd_1',
    campaignId: 'c1',
    campaignVersion: 1,
    stepId: 'main',
    userId: 'u1',
    triggerEventId: 'e1',
    channel: 'sms',
    provider: 'twilio',
    recipient: '+34600000001',
    body: 'Hi',
    segments: 1,
    status,
    statusHistory: [],
    failureReason: null,
    providerMessageId: 'SM1',
    attempts: 1,
    createdAt: at,
  };
}

describe('applyReports', () => {
  it('applies reports in order, each stamped and published', () => {
    const outcome = applyReports(aMessage('sent'), [{ status: 'delivered' }, { status: 'read' }], at);
    expect(outcome.update).toEqual({
      id: aMessage('sent').id,
      status: 'read',
      appendHistory: [
        { status: 'delivered', at },
        { status: 'read', at },
      ],
      failureReason: null,
    });
    expect(outcome.changes.map((c) => c.status)).toEqual(['delivered', 'read']);
    expect(outcome).toMatchObject({ applied: 2, ignored: 0, status: 'read' });
  });

  it('a late delivered after read changes nothing', () => {
    const outcome = applyReports(aMessage('read'), [{ status: 'delivered' }], at);
    expect(outcome).toMatchObject({ update: null, changes: [], applied: 0, ignored: 1, status: 'read' });
  });

  it('keeps the reason of a failure, not of a delivery', () => {
    const failed = applyReports(aMessage('sent'), [{ status: 'failed', reason: 'unreachable' }], at);
    expect(failed.update?.failureReason).toBe('unreachable');
    expect(failed.changes[0]?.reason).toBe('unreachable');
    const delivered = applyReports(aMessage('sent'), [{ status: 'delivered', reason: 'ok' }], at);
    expect(delivered.update?.failureReason).toBeNull();
    expect(delivered.changes[0]?.reason).toBeUndefined();
  });

  it('carries event details to the change', () => {
    const event = { id: 'x:replied:1', properties: { text: 'hi' } };
    expect(applyReports(aMessage('delivered'), [{ status: 'replied', event }], at).changes[0]?.event).toEqual(event);
  });
});
