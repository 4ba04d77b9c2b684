import { ValidationError, type ValidationIssue } from '@nudge/contracts';
import { checkSegmentMessage, segmentActionsOf, type SegmentAction, type SegmentReading } from './segment-messages';

const receivedAt = new Date('2026-11-23T10:00:05.000Z');
const reading: SegmentReading = { ageLimit: { maxEventAgeMs: 30 * 24 * 3600 * 1000 } };
const library = { library: { name: '@segment/analytics-node', version: '3.1.0' } };

/** A track message as analytics-node sends it in a batch. */
const track = {
  type: 'track',
  event: 'Order Completed',
  userId: 'u1',
  messageId: 'node-next-1',
  timestamp: '2026-11-23T10:00:00.000Z',
  properties: { total: 129.9 },
  context: library,
  integrations: {},
  _metadata: { nodeVersion: '20' },
};

/** An object nested `levels` deep, the outer one being level 1. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < levels; level++) value = { a: value };
  return value;
}
const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

function actionsOf(message: unknown, extra: Partial<SegmentReading> = {}): SegmentAction[] {
  return segmentActionsOf(message, receivedAt, { ...reading, ...extra }, ['batch', 3]);
}

function issuesOf(message: unknown, extra: Partial<SegmentReading> = {}): ValidationIssue[] {
  const checked = checkSegmentMessage(message, receivedAt, { ...reading, ...extra }, ['batch', 3]);
  if (checked.ok) throw new Error('expected issues');
  return checked.issues;
}

describe('track', () => {
  it('becomes an event named as sent, spaces and all, its messageId the eventId, its context kept', () => {
    expect(actionsOf(track)).toEqual([
      {
        kind: 'event',
        envelope: {
          eventId: 'node-next-1',
          userId: 'u1',
          name: 'Order Completed',
          timestamp: '2026-11-23T10:00:00.000Z',
          receivedAt: '2026-11-23T10:00:05.000Z',
          properties: { total: 129.9 },
          context: library,
        },
      },
    ]);
  });

  it('takes the receipt time without a timestamp, originalTimestamp when only that is sent (RudderStack)', () => {
    const { timestamp: _ignored, ...untimed } = track;
    expect(actionsOf(untimed)[0]).toMatchObject({ envelope: { timestamp: receivedAt.toISOString() } });
    expect(actionsOf({ ...untimed, originalTimestamp: '2026-11-23T09:00:00Z' })[0]).toMatchObject({
      envelope: { timestamp: '2026-11-23T09:00:00.000Z' },
    });
  });

  it('keeps an anonymous visitor event against the anonymousId', () => {
    const { userId: _ignored, ...anonymous } = track;
    expect(actionsOf({ ...anonymous, anonymousId: 'anon-7' })[0]).toMatchObject({ envelope: { userId: 'anon-7' } });
  });

  it('takes the route type when the body names none, and reads numeric user ids as text', () => {
    const { type: _ignored, ...untyped } = track;
    expect(actionsOf({ ...untyped, userId: 42 }, { type: 'track' })[0]).toMatchObject({ envelope: { userId: '42' } });
  });

  it("puts the batch's context under the message's own", () => {
    const [action] = actionsOf({ ...track, context: { ip: '203.0.113.9' } }, { batchContext: { ip: '198.51.100.1', app: 'shop' } });
    expect(action).toMatchObject({ envelope: { context: { ip: '203.0.113.9', app: 'shop' } } });
  });

  it.each([
    ['no event', 'batch[3].event', { ...track, event: undefined }],
    ['an empty event', 'batch[3].event', { ...track, event: '' }],
    ['an event name of 129 characters', 'batch[3].event', { ...track, event: 'n'.repeat(129) }],
    ['an event only Nudge publishes', 'batch[3].event', { ...track, event: 'consent_granted' }],
    ['neither userId nor anonymousId', 'batch[3].userId', { ...track, userId: undefined }],
    ['a userId of control characters', 'batch[3].userId', { ...track, userId: 'u\u00001' }],
    ['an anonymousId too long', 'batch[3].anonymousId', { ...track, userId: null, anonymousId: 'a'.repeat(257) }],
    ['a messageId too long', 'batch[3].messageId', { ...track, messageId: 'm'.repeat(257) }],
    ['a timestamp that is not a date', 'batch[3].timestamp', { ...track, timestamp: 'yesterday' }],
    ['a timestamp older than the age limit', 'batch[3].timestamp', { ...track, timestamp: '2025-01-01T00:00:00Z' }],
    ['a bad originalTimestamp', 'batch[3].originalTimestamp', { ...track, timestamp: undefined, originalTimestamp: 'soon' }],
    ['properties that are a list', 'batch[3].properties', { ...track, properties: [1] }],
    ['context that is text', 'batch[3].context', { ...track, context: 'web' }],
    ['an unknown type', 'batch[3].type', { ...track, type: 'purchase' }],
    ['no type in a batch', 'batch[3].type', { ...track, type: undefined }],
    ['a message over 32 KB', 'batch[3]', { ...track, properties: { a: 'x'.repeat(20_000) }, context: { b: 'y'.repeat(13_000) } }],
    ['a message that is not an object', 'batch[3]', 'track'],
    ['properties nested 9 deep, as /v1/events names it', 'batch[3].properties.a.a.a.a.a.a.a.a', { ...track, properties: nested(9) }],
    ['properties of 257 keys', 'batch[3].properties', { ...track, properties: keys(257) }],
    ['NUL in a context value', 'batch[3].context.note', { ...track, context: { note: 'a\u0000b' } }],
  ])('refuses %s, naming %s', (_case, path, message) => {
    expect(issuesOf(message).map((issue) => issue.path)).toContain(path);
  });

  it('accepts properties at every limit /v1/events has', () => {
    expect(actionsOf({ ...track, properties: { ...keys(255), deep: nested(7) } })).toHaveLength(1);
  });

  it("checks a batch's context merged into the message as its own", () => {
    expect(issuesOf(track, { batchContext: { note: 'a\u0000b' } }).map((issue) => issue.path)).toEqual(['batch[3].context.note']);
  });

  it('throws the ValidationError of the issues', () => {
    expect(() => actionsOf({ ...track, event: '' })).toThrow(ValidationError);
  });
});

describe('page and screen', () => {
  it('page becomes page_viewed, its name and category among the properties', () => {
    const page = { type: 'page', userId: 'u1', name: 'Pricing', category: 'Docs', properties: { url: 'https://shop.example/pricing' } };
    expect(actionsOf(page)[0]).toMatchObject({
      kind: 'event',
      envelope: { name: 'page_viewed', properties: { name: 'Pricing', category: 'Docs', url: 'https://shop.example/pricing' } },
    });
  });

  it('screen becomes screen_viewed', () => {
    expect(actionsOf({ type: 'screen', anonymousId: 'a1', name: 'Home' })[0]).toMatchObject({
      envelope: { name: 'screen_viewed', userId: 'a1', properties: { name: 'Home' } },
    });
  });

  it.each([
    ['a name that is not text', 'batch[3].name', { type: 'page', userId: 'u1', name: 7 }],
    ['properties that are text', 'batch[3].properties', { type: 'screen', userId: 'u1', properties: 'x' }],
    ['no user', 'batch[3].userId', { type: 'page', name: 'Home' }],
  ])('refuses %s, naming %s', (_case, path, message) => {
    expect(issuesOf(message).map((issue) => issue.path)).toContain(path);
  });
});

describe('identify', () => {
  const identify = {
    type: 'identify',
    userId: 'u1',
    traits: { firstName: 'Ana', email: 'ana@example.com', phone: '600 000 001', address: { country: 'es' } },
    context: {
      timezone: 'Europe/Madrid',
      locale: 'es-ES',
      ip: '203.0.113.9',
      userAgent: 'Mozilla/5.0',
      consent: { categoryPreferences: { Advertising: true, Analytics: false } },
    },
  };

  it('becomes a profile change: traits as attributes, e-mail with transactional consent only, zone, locale, country', () => {
    expect(actionsOf(identify)).toEqual([
      {
        kind: 'identify',
        userId: 'u1',
        update: {
          attributes: { firstName: 'Ana', address: { country: 'es' } },
          timezone: 'Europe/Madrid',
          locale: 'es-ES',
          country: 'ES',
          channels: { email: { address: 'ana@example.com', consent: { transactional: true } } },
        },
        phone: '600 000 001',
        consentPreferences: { Advertising: true, Analytics: false },
        proof: { ip: '203.0.113.9', userAgent: 'Mozilla/5.0' },
        path: ['batch', 3],
      },
    ]);
  });

  it('with both ids asks for the alias first, then the change of the known user', () => {
    const actions = actionsOf({ ...identify, anonymousId: 'anon-7' });
    expect(actions.map((action) => action.kind)).toEqual(['alias', 'identify']);
    expect(actions[0]).toEqual({
      kind: 'alias',
      previousId: 'anon-7',
      userId: 'u1',
      proof: { ip: '203.0.113.9', userAgent: 'Mozilla/5.0' },
    });
  });

  it('leaves out a zone, locale or country the profile cannot hold, and proof that is not well formed', () => {
    const [action] = actionsOf({
      type: 'identify',
      userId: 'u1',
      traits: { address: { country: 'Spain' } },
      context: { timezone: 'Mars/Olympus', locale: 'not a locale', ip: 'somewhere' },
    });
    expect(action).toMatchObject({ update: { attributes: { address: { country: 'Spain' } } }, proof: {} });
    expect(action).not.toHaveProperty('update.country');
    expect(action).not.toHaveProperty('update.timezone');
    expect(action).not.toHaveProperty('update.locale');
  });

  it.each([
    ['an e-mail that is not one', 'batch[3].traits.email', { ...identify, traits: { email: 'ana' } }],
    ['a phone that is not text', 'batch[3].traits.phone', { ...identify, traits: { phone: 600000001 } }],
    ['traits that are a list', 'batch[3].traits', { ...identify, traits: ['a'] }],
    ['no user', 'batch[3].userId', { ...identify, userId: undefined }],
  ])('refuses %s, naming %s', (_case, path, message) => {
    expect(issuesOf(message).map((issue) => issue.path)).toContain(path);
  });
});

describe('group and alias', () => {
  it('group: the user joins the group, with its traits', () => {
    expect(actionsOf({ type: 'group', userId: 'u1', groupId: 'acme', traits: { plan: 'pro' } })).toEqual([
      { kind: 'group', userId: 'u1', groupId: 'acme', traits: { plan: 'pro' }, proof: {}, path: ['batch', 3] },
    ]);
  });

  it('alias: previousId becomes userId; an alias of itself asks for nothing', () => {
    expect(actionsOf({ type: 'alias', previousId: 'anon-7', userId: 'u1' })).toEqual([
      { kind: 'alias', previousId: 'anon-7', userId: 'u1', proof: {} },
    ]);
    expect(actionsOf({ type: 'alias', previousId: 'u1', userId: 'u1' })).toEqual([]);
  });

  it.each([
    ['a group without groupId', 'batch[3].groupId', { type: 'group', userId: 'u1' }],
    ['a group without a user', 'batch[3].userId', { type: 'group', groupId: 'acme' }],
    ['group traits that are text', 'batch[3].traits', { type: 'group', userId: 'u1', groupId: 'acme', traits: 'x' }],
    ['an alias without previousId', 'batch[3].previousId', { type: 'alias', userId: 'u1' }],
    ['an alias without userId', 'batch[3].userId', { type: 'alias', previousId: 'anon-7' }],
  ])('refuses %s, naming %s', (_case, path, message) => {
    expect(issuesOf(message).map((issue) => issue.path)).toContain(path);
  });
});
