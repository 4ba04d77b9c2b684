import { parseEvents, parseProfiles } from './simulate';

describe('simulate input files', () => {
  it('reports every bad line of an events file at once, with its number and why', () => {
    const text = [
      '{"userId":"ana","name":"cart_abandoned","timestamp":"2026-12-03T10:00:00Z"}',
      'not json',
      '# a comment',
      '{"userId":"bea","name":"cart_abandoned"}',
      '{"name":"cart_abandoned","timestamp":"2026-12-03T10:00:00Z"}',
    ].join('\n');
    expect(() => parseEvents(text, 'events.ndjson')).toThrow(
      /^events\.ndjson: 3 bad lines\nevents\.ndjson:2: not JSON: .*\nevents\.ndjson:4: timestamp: required to simulate .*\nevents\.ndjson:5: userId: /,
    );
  });

  it('lists at most 50 bad lines and counts the rest', () => {
    const text = Array.from({ length: 80 }, () => 'nope').join('\n');
    const message = (() => {
      try {
        parseEvents(text, 'e.ndjson');
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message.split('\n')).toHaveLength(1 + 50 + 1);
    expect(message).toMatch(/^e\.ndjson: 80 bad lines\n/);
    expect(message).toMatch(/\n… and 30 more bad lines$/);
  });

  it('keeps the single-line message as it was when one line is bad', () => {
    expect(() => parseProfiles('{"userId":"ana"}\n{"email":"x@example.com"}', 'p.ndjson')).toThrow(/^p\.ndjson:2: userId: required$/);
  });

  it('reads good files as before', () => {
    const events = parseEvents('{"userId":"ana","name":"app_opened","timestamp":"2026-12-03T10:00:00Z"}\n', 'e.ndjson');
    expect(events).toEqual([expect.objectContaining({ eventId: 'line-1', userId: 'ana', timestamp: '2026-12-03T10:00:00.000Z' })]);
  });
});
