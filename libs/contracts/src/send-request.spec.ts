import { formatPath } from './errors';
import { deriveSendId, MAIN_STEP, sendRequestSchemaFor } from './send-request';

describe('deriveSendId', () => {
  const base = { campaignId: 'cart-abandon-sms', triggerEventId: 'e-123', stepId: 'main' };

  it('is the same for the same campaign, trigger event and step', () => {
    expect(deriveSendId(base)).toBe(deriveSendId({ ...base }));
  });

  it.each([
    ['another campaign', { ...base, campaignId: 'other' }],
    ['another trigger event', { ...base, triggerEventId: 'e-124' }],
    ['another step', { ...base, stepId: 'reminder-2' }],
  ])('differs for %s', (_label, parts) => {
    expect(deriveSendId(parts)).not.toBe(deriveSendId(base));
  });

  it('keeps parts apart that would collide if simply joined', () => {
    const left = deriveSendId({ campaignId: 'a/b', triggerEventId: 'c', stepId: 'main' });
    const right = deriveSendId({ campaignId: 'a', triggerEventId: 'b/c', stepId: 'main' });
    expect(left).not.toBe(right);
  });

  it('looks like a send id', () => {
    expect(deriveSendId(base)).toMatch(/^snd_[0-9a-f]{32}$/);
  });
});

describe('the send request as dispatch reads it', () => {
  const schema = sendRequestSchemaFor({ maxEventAgeMs: 30 * 24 * 60 * 60 * 1000 });
  const at = '2026-11-23T10:00:00.000Z';
  const event = { eventId: 'e-1', userId: 'u1', name: 'cart_abandoned', timestamp: at, receivedAt: at, properties: {}, context: {} };
  const request = {
    sendId: deriveSendId({ campaignId: 'c', triggerEventId: 'e-1', stepId: MAIN_STEP }),
    campaignId: 'c',
    campaignVersion: 1,
    category: 'marketing',
    stepId: MAIN_STEP,
    userId: 'u1',
    triggerEventId: 'e-1',
    decidedAt: at,
    channel: 'sms',
    to: '+34600000001',
    message: { body: 'Hi\nthere' },
    scope: { event, profile: { userId: 'u1', attributes: { firstName: 'Ana' } }, campaign: { id: 'c', version: 1 } },
  };
  const paths = (value: unknown) => schema.safeParse(value).error?.issues.map((i) => formatPath(i.path)) ?? [];

  it('accepts a valid request', () => {
    expect(paths(request)).toEqual([]);
  });

  it.each([
    ['a control character in userId', 'userId', { ...request, userId: 'u\u00071' }],
    ['a 257-character campaignId', 'campaignId', { ...request, campaignId: 'c'.repeat(257) }],
    ['NUL in the body, which Postgres cannot store', 'message.body', { ...request, message: { body: 'Hi\u0000' } }],
    ['a newline in the address', 'to', { ...request, to: '+34600000001\n' }],
    [
      'NUL in a property of the trigger event',
      'scope.event.properties.note',
      { ...request, scope: { ...request.scope, event: { ...event, properties: { note: '\u0000' } } } },
    ],
    [
      '300 keys in the trigger event properties',
      'scope.event.properties',
      {
        ...request,
        scope: {
          ...request.scope,
          event: { ...event, properties: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])) },
        },
      },
    ],
    [
      'a trigger event timestamp 31 days before its receipt',
      'scope.event.timestamp',
      { ...request, scope: { ...request.scope, event: { ...event, timestamp: '2026-10-23T10:00:00.000Z' } } },
    ],
    [
      'a profile over 256 KB',
      'scope.profile',
      { ...request, scope: { ...request.scope, profile: { attributes: { blob: 'x'.repeat(257 * 1024) } } } },
    ],
  ])('refuses %s, naming %s', (_case, path, value) => {
    expect(paths(value)).toEqual([path]);
  });
});
