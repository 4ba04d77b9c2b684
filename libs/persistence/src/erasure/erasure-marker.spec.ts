import { belongsToErasedPast, eventsAfterErasure } from './erasure-marker';

const erasedAt = new Date('2026-03-01T10:00:00.000Z');

describe('belongsToErasedPast', () => {
  it.each([
    ['a user never erased', undefined, '2026-03-01T09:00:00Z', '2026-03-01T09:00:00Z', false],
    ['a request decided before the erasure', erasedAt, '2026-03-01T09:59:59Z', '2026-03-01T09:59:00Z', true],
    ['a request decided at the erasure instant', erasedAt, '2026-03-01T10:00:00Z', '2026-03-01T09:00:00Z', true],
    ['a request decided after the erasure on an event received before it', erasedAt, '2026-03-01T10:05:00Z', '2026-03-01T09:55:00Z', true],
    [
      'a request of a new sign-up: event received and decided after the erasure',
      erasedAt,
      '2026-03-01T10:05:01Z',
      '2026-03-01T10:05:00Z',
      false,
    ],
    ['a request with an unreadable time', erasedAt, 'not a time', '2026-03-01T10:05:00Z', true],
  ])('%s → dropped: %s', (_case, erased, decidedAt, triggerReceivedAt, dropped) => {
    expect(belongsToErasedPast(erased, { decidedAt, triggerReceivedAt })).toBe(dropped);
  });
});

describe('eventsAfterErasure', () => {
  it('keeps events of users never erased and those received after the erasure; drops those in flight at it', () => {
    const inFlight = { userId: 'gone', receivedAt: '2026-03-01T09:59:59Z' };
    const newSignUp = { userId: 'gone', receivedAt: '2026-03-01T10:00:01Z' };
    const someoneElse = { userId: 'other', receivedAt: '2026-03-01T09:00:00Z' };
    expect(eventsAfterErasure([inFlight, newSignUp, someoneElse], new Map([['gone', erasedAt]]))).toEqual([newSignUp, someoneElse]);
  });
});
