import { userMergedEvent, type EventEnvelope } from '@nudge/contracts';
import { resolveMergedUsers, usersToLock } from './merged-users';

const at = '2026-03-01T10:00:00.000Z';

function anEvent(eventId: string, userId: string, name = 'cart_abandoned'): EventEnvelope {
  return { eventId, userId, name, timestamp: at, receivedAt: at, properties: {}, context: {} };
}

describe('usersToLock', () => {
  it("locks the events' users and each merge's previous id, sorted", () => {
    const events = [anEvent('e1', 'zed'), userMergedEvent({ previousId: 'anon-1', userId: 'ana' }, at)];
    expect(usersToLock(events)).toEqual(['ana', 'anon-1', 'zed']);
  });
});

describe('resolveMergedUsers', () => {
  it('keys an event of a stored alias to its known user, and leaves the others as they are', () => {
    const other = anEvent('e2', 'bob');
    const { events, merges } = resolveMergedUsers([anEvent('e1', 'anon-1'), other], new Map([['anon-1', 'ana']]));
    expect(events.map((e) => e.userId)).toEqual(['ana', 'bob']);
    expect(events[1]).toBe(other);
    expect(merges).toEqual([]);
  });

  it('keys an anonymous event to the known user of a merge in the same batch, whose alias is not stored yet', () => {
    const merge = userMergedEvent({ previousId: 'anon-1', userId: 'ana' }, at);
    const { events, merges } = resolveMergedUsers([anEvent('e1', 'anon-1'), merge], new Map());
    expect(events.map((e) => e.userId)).toEqual(['ana', 'ana']);
    expect(merges).toEqual([{ previousId: 'anon-1', userId: 'ana' }]);
  });

  it('follows a stored alias to a user the batch merges further', () => {
    const merge = userMergedEvent({ previousId: 'anon-2', userId: 'ana' }, at);
    const { events } = resolveMergedUsers([anEvent('e1', 'anon-1'), merge], new Map([['anon-1', 'anon-2']]));
    expect(events[0]?.userId).toBe('ana');
  });

  it('stops on a cycle instead of looping', () => {
    const { events } = resolveMergedUsers(
      [anEvent('e1', 'a')],
      new Map([
        ['a', 'b'],
        ['b', 'a'],
      ]),
    );
    expect(events[0]?.userId).toBe('b');
  });
});
