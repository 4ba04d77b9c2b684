import type { SendRequest } from '@nudge/contracts';
import type { NewMessage } from '../messages/message';
import { splitByErasure } from './erased-senders';

function aMessage(userId: string, decidedAt: string, receivedAt = decidedAt): NewMessage {
  const request = { sendId: `snd-${userId}-${decidedAt}`, userId, decidedAt, scope: { event: { receivedAt } } } as unknown as SendRequest;
  return {
    id: request.sendId,
    request,
    provider: 'sandbox',
    recipient: '+34600000001',
    body: 'hi',
    links: [],
    segments: 1,
    status: 'queued',
    failureReason: null,
  };
}

describe('splitByErasure', () => {
  const erasures = new Map([['erased-user', new Date('2026-03-01T10:00:00Z')]]);

  it('drops the requests of an erased user made before the erasure and keeps everyone else', () => {
    const old = aMessage('erased-user', '2026-03-01T09:00:00Z');
    const other = aMessage('someone', '2026-03-01T09:00:00Z');
    const split = splitByErasure([old, other], erasures);
    expect(split.dropped).toEqual([old]);
    expect(split.kept).toEqual([other]);
  });

  it('keeps a request of a new sign-up under the erased id', () => {
    const fresh = aMessage('erased-user', '2026-03-01T11:00:00Z', '2026-03-01T10:59:00Z');
    expect(splitByErasure([fresh], erasures).kept).toEqual([fresh]);
  });

  it('drops a request decided after the erasure from an event received before it (in flight)', () => {
    const inFlight = aMessage('erased-user', '2026-03-01T11:00:00Z', '2026-03-01T09:59:00Z');
    expect(splitByErasure([inFlight], erasures).dropped).toEqual([inFlight]);
  });
});
