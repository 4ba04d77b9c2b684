import { validationPathsOf } from '@nudge/testing';
import { cursorPositions, deadLettersQueryOf, nextCursorOf, replayRequestOf } from './dead-letter-requests';

describe('dead letter requests', () => {
  it('reads the list query: topic, limit (default 50) and the cursor as where each partition starts', () => {
    expect(deadLettersQueryOf({ topic: 'events' })).toEqual({ topic: 'events', limit: 50, from: new Map() });
    expect(deadLettersQueryOf({ topic: 'nudge.events.v1.dlq', limit: '5', cursor: '0:12,2:3' })).toEqual({
      topic: 'nudge.events.v1.dlq',
      limit: 5,
      from: new Map([
        [0, '12'],
        [2, '3'],
      ]),
    });
  });

  it.each([
    [{}, 'query.topic'],
    [{ topic: 'a b' }, 'query.topic'],
    [{ topic: 'events', limit: '201' }, 'query.limit'],
    [{ topic: 'events', cursor: '0:' }, 'query.cursor'],
  ])('refuses the list query %j naming %s', (query, path) => {
    expect(validationPathsOf(() => deadLettersQueryOf(query))).toEqual([path]);
  });

  it('reads one letter or a list, offsets as numbers or text, each letter once', () => {
    expect(replayRequestOf({ topic: 'events', partition: 0, offset: 7 })).toEqual({
      topic: 'events',
      letters: [{ partition: 0, offset: '7' }],
    });
    expect(
      replayRequestOf({
        topic: 'events',
        letters: [
          { partition: 1, offset: '9007199254740993' },
          { partition: 1, offset: '9007199254740993' },
          { partition: 1, offset: '9007199254740992' },
        ],
      }).letters,
    ).toEqual([
      { partition: 1, offset: '9007199254740993' },
      { partition: 1, offset: '9007199254740992' },
    ]);
  });

  it.each([
    [{ partition: 0, offset: 1 }, ['topic']],
    [{ topic: 'events' }, ['partition', 'offset']],
    [{ topic: 'events', partition: 0, offset: 1, letters: [{ partition: 0, offset: 1 }] }, ['letters']],
    [{ topic: 'events', letters: [] }, ['letters']],
    [{ topic: 'events', letters: [{ partition: -1, offset: 'x' }] }, ['letters[0].partition', 'letters[0].offset']],
    [
      {
        topic: 'events',
        letters: [
          { partition: 0, offset: 0 },
          { partition: 0, offset: 1000 },
        ],
      },
      ['letters'],
    ],
  ])('refuses the replay request %j naming %j', (body, paths) => {
    expect(validationPathsOf(() => replayRequestOf(body))).toEqual(paths);
  });

  it('makes the next cursor from where each partition goes on, null when every one was read to its end', () => {
    const ends = new Map([
      [0, '10'],
      [1, '4'],
    ]);
    expect(
      nextCursorOf(
        new Map([
          [1, '4'],
          [0, '6'],
        ]),
        ends,
      ),
    ).toBe('0:6,1:4');
    expect(
      nextCursorOf(
        new Map([
          [0, '10'],
          [1, '4'],
        ]),
        ends,
      ),
    ).toBeNull();
    expect(cursorPositions('0:6,1:4')).toEqual(
      new Map([
        [0, '6'],
        [1, '4'],
      ]),
    );
  });
});
