import { parseEvents, parseProfiles, parseSuppressions, suppressionsByUser } from './simulate';

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

  it('reads address opt-outs keyed as dispatch keys a STOP, and finds every profile holding the address', () => {
    const suppressions = parseSuppressions(
      [
        '{"channel":"sms","address":"+34 600 000 001"}',
        '{"channel":"email","address":"Ana@Example.com","suppressed":false,"keyword":"START"}',
      ].join('\n'),
      'stops.ndjson',
    );
    expect(suppressions.map((s) => [s.channel, s.address, s.suppressed, s.keyword])).toEqual([
      ['sms', '+34600000001', true, 'STOP'],
      ['email', 'ana@example.com', false, 'START'],
    ]);
    const profiles = parseProfiles(
      JSON.stringify([
        { userId: 'ana', country: 'ES', channels: { sms: { address: '600 000 001' }, email: { address: 'ana@example.com' } } },
        { userId: 'bea', channels: { sms: { address: '+34600000001' } } },
        { userId: 'cy', channels: { sms: { address: '+34600000009' } } },
      ]),
      'profiles.json',
    );
    const byUser = suppressionsByUser(profiles, suppressions);
    expect([...byUser.keys()]).toEqual(['ana', 'bea']);
    expect(byUser.get('ana')?.get('sms')).toMatchObject({ suppressed: true, source: 'file:stops.ndjson' });
    expect(byUser.get('ana')?.get('email')).toMatchObject({ suppressed: false });
  });

  it('reports every bad line of a suppressions file, naming the field', () => {
    expect(() => parseSuppressions('[{"channel":"fax","address":"1"},{"channel":"sms"}]', 'stops.json')).toThrow(
      /^stops\.json: 2 bad lines\nstops\.json:1: channel: .*\nstops\.json:2: address: /,
    );
  });
});
