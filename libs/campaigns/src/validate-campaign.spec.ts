import { aCampaign } from './testing';
import { parseCampaignText } from './campaign-text';
import { validateCampaign } from './validate-campaign';

/** SPEC §5's example, as YAML would hand it over. */
const specExample = {
  id: 'cart-abandon-sms',
  name: 'Abandoned cart nudge',
  category: 'marketing',
  topic: 'promotions',
  status: 'active',
  schedule: { start: '2026-11-01T00:00:00Z', end: '2027-01-31T23:59:59Z' },
  trigger: {
    event: 'cart_abandoned',
    conditions: { all: [{ fact: 'event', path: '$.properties.cartValue', operator: 'greaterThan', value: 100 }] },
  },
  delay: 'PT30M',
  exceptions: [{ event: 'purchase', match: { cartId: 'cartId' } }],
  timeWindow: { start: '09:00', end: '21:00', timezone: 'recipient', outside: 'defer' },
  reEligibility: 'P1D',
  frequencyCaps: [{ max: 1, per: 'P1D' }],
  message: {
    channel: 'sms',
    sender: 'ACME',
    body: "Hi {{ profile.attributes.firstName }}, your cart of {{ event.properties.cartValue }} € is waiting: {{ 'https://shop.example/cart' | track }}",
  },
};

const SPEC_EXAMPLE_YAML = `
id: cart-abandon-sms
name: Abandoned cart nudge
category: marketing            # marketing | transactional
topic: promotions              # optional preference topic
status: active                 # active | paused | archived
schedule: { start: 2026-11-01T00:00:00Z, end: 2027-01-31T23:59:59Z }
trigger:
  event: cart_abandoned
  conditions:                  # json-rules-engine condition tree; facts: event, profile
    all:
      - { fact: event, path: $.properties.cartValue, operator: greaterThan, value: 100 }
delay: PT30M                   # ISO-8601 duration after the trigger event's timestamp
exceptions:                    # any of these after the trigger and before the send cancels it
  - { event: purchase, match: { cartId: cartId } }   # exception.properties.cartId == trigger.properties.cartId
timeWindow: { start: "09:00", end: "21:00", timezone: recipient, outside: defer }  # defer | drop
reEligibility: P1D             # absent: every trigger is eligible
frequencyCaps: [ { max: 1, per: P1D } ]              # this campaign, per user, rolling
message:
  channel: sms                 # or a fallback chain, see below
  sender: ACME
  body: "Hi {{ profile.attributes.firstName }}, your cart of {{ event.properties.cartValue }} € is waiting: {{ 'https://shop.example/cart' | track }}"
`;

describe('validateCampaign', () => {
  it('accepts the SPEC §5 example and normalises it', () => {
    const result = validateCampaign(specExample);
    expect(result).toEqual({
      ok: true,
      campaign: { ...specExample, schedule: { start: '2026-11-01T00:00:00.000Z', end: '2027-01-31T23:59:59.000Z' } },
    });
  });

  it('accepts the SPEC §5 example file as written in YAML', () => {
    const file = parseCampaignText(SPEC_EXAMPLE_YAML, 'cart-abandon-sms.yaml');
    expect(file.ok && validateCampaign(file.value)).toEqual(validateCampaign(specExample));
  });

  it.each([
    ['the smallest campaign, with defaults filled in', aCampaign().build(), { category: 'marketing', status: 'active', delay: 'PT0S' }],
    [
      'schedule dates a YAML parser turned into Dates',
      aCampaign()
        .withSchedule({ start: new Date('2026-11-01T00:00:00Z') })
        .build(),
      { schedule: { start: '2026-11-01T00:00:00.000Z' } },
    ],
    [
      'a schedule in another zone',
      aCampaign().withSchedule({ end: '2027-01-31T23:59:59+01:00' }).build(),
      { schedule: { end: '2027-01-31T22:59:59.000Z' } },
    ],
    [
      'a fallback chain with fallbackAfter',
      aCampaign()
        .withMessage({ channel: ['whatsapp', 'sms'], fallbackAfter: 'PT2H' })
        .build(),
      { message: expect.objectContaining({ channel: ['whatsapp', 'sms'] }) },
    ],
    [
      'a message with expireAfter',
      aCampaign().withMessage({ expireAfter: 'PT6H' }).build(),
      { message: expect.objectContaining({ expireAfter: 'PT6H' }) },
    ],
    [
      'an email with a subject',
      aCampaign().withMessage({ channel: 'email', subject: 'For {{ profile.attributes.firstName }}' }).build(),
      {},
    ],
    [
      'a time window across midnight in a named zone',
      aCampaign()
        .with('timeWindow', { start: '22:00', end: '06:00', timezone: 'Europe/Madrid', outside: 'drop', days: ['sat', 'sun'] })
        .build(),
      { timeWindow: { start: '22:00', end: '06:00', timezone: 'Europe/Madrid', outside: 'drop', days: ['sat', 'sun'] } },
    ],
    [
      'a time window with defaults',
      aCampaign().with('timeWindow', { start: '09:00', end: '21:00' }).build(),
      { timeWindow: { start: '09:00', end: '21:00', timezone: 'recipient', outside: 'defer' } },
    ],
    ['a transactional campaign', aCampaign().with('category', 'transactional').build(), { category: 'transactional' }],
    [
      'a journey, without delay',
      aCampaign()
        .without('message')
        .with('steps', [
          { id: 'wait-1', type: 'wait', duration: 'PT1H' },
          { id: 'sms', type: 'message', message: { channel: 'sms', body: 'Hi' } },
        ])
        .build(),
      {
        steps: [
          { id: 'wait-1', type: 'wait', duration: 'PT1H', timezone: 'recipient' },
          { id: 'sms', type: 'message', message: { channel: 'sms', body: 'Hi' } },
        ],
      },
    ],
    [
      'conversion and holdout',
      aCampaign()
        .with('conversion', { event: 'purchase', within: 'P3D', match: { cartId: 'cartId' } })
        .with('holdout', 10)
        .build(),
      { holdout: 10 },
    ],
    [
      'nested all/any/not conditions',
      aCampaign()
        .withConditions({
          any: [
            { all: [{ fact: 'profile', path: '$.attributes.tier', operator: 'in', value: ['gold', 'silver'] }] },
            { not: { fact: 'event', operator: 'equal', value: 1 } },
          ],
        })
        .build(),
      {},
    ],
    [
      'a geofence',
      aCampaign()
        .withTrigger('location', {
          all: [{ fact: 'event', path: '$.properties', operator: 'withinRadius', value: { lat: 40.4168, lon: -3.7038, meters: 500 } }],
        })
        .build(),
      {},
    ],
    [
      'a single condition without all/any',
      aCampaign().withConditions({ fact: 'event', path: '$.properties.cartValue', operator: 'greaterThan', value: 100 }).build(),
      {},
    ],
    [
      'a comparison with another fact',
      aCampaign()
        .withConditions({
          all: [
            {
              fact: 'event',
              path: '$.properties.cartValue',
              operator: 'greaterThan',
              value: { fact: 'profile', path: '$.attributes.minCart' },
            },
          ],
        })
        .build(),
      {},
    ],
  ])('accepts %s', (_, document, expected) => {
    const result = validateCampaign(document);
    expect(result).toEqual({ ok: true, campaign: expect.objectContaining(expected) });
  });

  it.each([
    ['an unknown top-level key', aCampaign().with('colour', 'blue'), [['colour', 'unknown field']]],
    ['an unknown nested key', aCampaign().withMessage({ bodyy: 'x' }), [['message.bodyy', 'unknown field']]],
    ['a bad id', aCampaign('Cart Abandon'), [['id', 'must be a slug']]],
    ['a bad delay', aCampaign().withDelay('30M'), [['delay', '"30M" is not an ISO-8601 duration']]],
    ['a negative delay', aCampaign().withDelay('-PT30M'), [['delay', 'must not be negative']]],
    ['a zero re-eligibility', aCampaign().with('reEligibility', 'PT0S'), [['reEligibility', 'must be longer than zero']]],
    [
      'a bad cap period',
      aCampaign().with('frequencyCaps', [
        { max: 1, per: 'P1D' },
        { max: 2, per: 'weekly' },
      ]),
      [['frequencyCaps[1].per', 'is not an ISO-8601 duration']],
    ],
    ['a cap of zero', aCampaign().with('frequencyCaps', [{ max: 0, per: 'P1D' }]), [['frequencyCaps[0].max', 'must be at least 1']]],
    ['a bad expireAfter', aCampaign().withMessage({ expireAfter: '2h' }), [['message.expireAfter', 'is not an ISO-8601 duration']]],
    [
      'a bad fallbackAfter',
      aCampaign().withMessage({ channel: ['whatsapp', 'sms'], fallbackAfter: '2h' }),
      [['message.fallbackAfter', 'is not an ISO-8601 duration']],
    ],
    [
      'fallbackAfter without a chain',
      aCampaign().withMessage({ fallbackAfter: 'PT2H' }),
      [['message.fallbackAfter', 'needs a channel list of two or more']],
    ],
    ['an unknown channel', aCampaign().withMessage({ channel: 'pigeon' }), [['message.channel', "received 'pigeon'"]]],
    [
      'an unknown channel in a chain',
      aCampaign().withMessage({ channel: ['whatsapp', 'pigeon'] }),
      [['message.channel[1]', "received 'pigeon'"]],
    ],
    [
      'a channel twice in a chain',
      aCampaign().withMessage({ channel: ['sms', 'sms'] }),
      [['message.channel', 'must not list a channel twice']],
    ],
    [
      'a time window starting at 25:00',
      aCampaign().with('timeWindow', { start: '25:00', end: '21:00' }),
      [['timeWindow.start', 'must be a time of day "HH:MM"']],
    ],
    [
      'a time window ending at 24:00',
      aCampaign().with('timeWindow', { start: '09:00', end: '24:00' }),
      [['timeWindow.end', 'must be a time of day']],
    ],
    [
      'an empty time window',
      aCampaign().with('timeWindow', { start: '09:00', end: '09:00' }),
      [['timeWindow.end', 'must differ from timeWindow.start']],
    ],
    [
      'an unknown time zone',
      aCampaign().with('timeWindow', { start: '09:00', end: '21:00', timezone: 'Europe/Atlantis' }),
      [['timeWindow.timezone', 'IANA time zone']],
    ],
    [
      'a bad outside',
      aCampaign().with('timeWindow', { start: '09:00', end: '21:00', outside: 'wait' }),
      [['timeWindow.outside', "received 'wait'"]],
    ],
    [
      'an unknown weekday',
      aCampaign().with('timeWindow', { start: '09:00', end: '21:00', days: ['mon', 'funday'] }),
      [['timeWindow.days[1]', "received 'funday'"]],
    ],
    [
      'a schedule that ends before it starts',
      aCampaign().withSchedule({ start: '2027-01-31T00:00:00Z', end: '2026-11-01T00:00:00Z' }),
      [['schedule.end', 'must be after schedule.start (2027-01-31T00:00:00.000Z)']],
    ],
    ['a schedule without a zone', aCampaign().withSchedule({ start: '2026-11-01T00:00:00' }), [['schedule.start', 'ISO-8601 date-time']]],
    [
      'a body that does not parse',
      aCampaign().withMessage({ body: 'Hi {{ profile.attributes.firstName' }),
      [['message.body', 'not closed, line:1, col:4']],
    ],
    [
      'a body with an unknown filter',
      aCampaign().withMessage({ body: 'Hi {{ profile.attributes.firstName | shout }}' }),
      [['message.body', 'undefined filter: shout']],
    ],
    [
      'a subject that does not parse',
      aCampaign().withMessage({ subject: '{% if %}' }),
      [['message.subject', 'invalid value expression: "", line:1, col:6']],
    ],
    ['an empty body', aCampaign().withMessage({ body: '' }), [['message.body', 'must not be empty']]],
    ['neither message nor steps', aCampaign().without('message'), [['message', 'either message (one message) or steps (a journey)']]],
    [
      'neither message nor steps, beside another error',
      aCampaign().without('message').withDelay('soon'),
      [
        ['delay', 'is not an ISO-8601 duration'],
        ['message', 'either message'],
      ],
    ],
    ['both message and steps', aCampaign().with('steps', [{ id: 'a', type: 'exit' }]), [['steps', 'must not be given with message']]],
    [
      'a journey with a delay',
      aCampaign()
        .without('message')
        .withDelay('PT1H')
        .with('steps', [{ id: 'a', type: 'exit' }]),
      [['delay', 'a journey waits with wait steps']],
    ],
    [
      'a step without an id',
      aCampaign()
        .without('message')
        .with('steps', [{ type: 'wait' }]),
      [['steps[0].id', 'Required']],
    ],
    [
      'an unknown step type',
      aCampaign()
        .without('message')
        .with('steps', [{ id: 'a', type: 'sleep' }]),
      [['steps[0].type', 'must be one of wait, message, branch, waitFor, exit']],
    ],
    [
      'two steps with one id',
      aCampaign()
        .without('message')
        .with('steps', [
          { id: 'a', type: 'wait', duration: 'PT1H' },
          { id: 'a', type: 'exit' },
        ]),
      [['steps[1].id', 'is the id of an earlier step']],
    ],
    [
      'a wait with neither a duration nor a time of day',
      aCampaign().withSteps([{ id: 'a', type: 'wait' }]),
      [['steps[0].duration', 'exactly one of duration (PT1H) or until ("10:00")']],
    ],
    [
      'a wait until a time that is no time of day',
      aCampaign().withSteps([{ id: 'a', type: 'wait', until: '25:00' }]),
      [['steps[0].until', 'must be a time of day']],
    ],
    [
      'a step that goes back to an earlier one',
      aCampaign().withSteps([
        { id: 'a', type: 'message', message: { channel: 'sms', body: 'Hi' } },
        { id: 'b', type: 'waitFor', event: 'message_clicked', timeout: 'P1D', onTimeout: 'a' },
      ]),
      [['steps[1].onTimeout', 'must name a later step: journeys move forward only']],
    ],
    [
      'a branch to a step that does not exist',
      aCampaign().withSteps([
        {
          id: 'a',
          type: 'branch',
          branches: [{ when: { fact: 'journey', path: '$.steps.x.clicked', operator: 'equal', value: true }, next: 'nowhere' }],
        },
        { id: 'b', type: 'exit' },
      ]),
      [['steps[0].branches[0].next', 'names no step: "nowhere" (steps: a, b)']],
    ],
    [
      'a branch condition on an unknown fact',
      aCampaign().withSteps([
        { id: 'a', type: 'branch', branches: [{ when: { fact: 'weather', operator: 'equal', value: 'rain' }, next: 'b' }] },
        { id: 'b', type: 'exit' },
      ]),
      [['steps[0].branches[0].when.fact', 'must be "event" or "profile" or "journey"']],
    ],
    [
      'a waitFor without a timeout',
      aCampaign().withSteps([{ id: 'a', type: 'waitFor', event: 'purchase' }]),
      [['steps[0].timeout', 'Required']],
    ],
    [
      'a message step with a bad template',
      aCampaign().withSteps([{ id: 'a', type: 'message', message: { channel: 'sms', body: 'Hi {{ profile' } }]),
      [['steps[0].message.body', '']],
    ],
    [
      'a step id that cannot be part of a send id',
      aCampaign().withSteps([{ id: 'a b', type: 'exit' }]),
      [['steps[0].id', 'must be 1–64 letters, digits']],
    ],
    [
      'concurrentRuns on a one-message campaign',
      aCampaign().with('concurrentRuns', 2),
      [['concurrentRuns', 'applies to journeys (steps)']],
    ],
    [
      'a bad operator',
      aCampaign().withConditions({
        all: [{ fact: 'event', path: '$.properties.cartValue', operator: 'greaterThen', value: 100 }],
      } as never),
      [['trigger.conditions.all[0].operator', 'unknown operator "greaterThen"']],
    ],
    [
      'an unknown fact',
      aCampaign().withConditions({ any: [{ fact: 'weather', operator: 'equal', value: 'rain' }] } as never),
      [['trigger.conditions.any[0].fact', 'must be "event" or "profile"']],
    ],
    [
      'a deep bad leaf',
      aCampaign().withConditions({ all: [{ any: [{ not: { fact: 'event', operator: 'equal' } }] }] } as never),
      [['trigger.conditions.all[0].any[0].not.value', 'Required']],
    ],
    [
      'a path that is not JSONPath',
      aCampaign().withConditions({ all: [{ fact: 'event', path: 'properties.cartValue', operator: 'equal', value: 1 }] }),
      [['trigger.conditions.all[0].path', 'must be a plain JSON path']],
    ],
    [
      'a number comparison with a string',
      aCampaign().withConditions({ all: [{ fact: 'event', path: '$.properties.cartValue', operator: 'greaterThan', value: '100' }] }),
      [['trigger.conditions.all[0].value', 'must be a number for greaterThan']],
    ],
    [
      'in without a list',
      aCampaign().withConditions({ all: [{ fact: 'profile', path: '$.attributes.tier', operator: 'in', value: 'gold' }] }),
      [['trigger.conditions.all[0].value', 'must be a list for in']],
    ],
    ['an empty all', aCampaign().withConditions({ all: [] }), [['trigger.conditions.all', 'must be a non-empty list']]],
    [
      'all and any side by side',
      aCampaign().withConditions({ all: [], any: [] } as never),
      [['trigger.conditions', 'exactly one of all, any or not']],
    ],
    [
      'a withinRadius without meters',
      aCampaign().withConditions({
        all: [{ fact: 'event', path: '$.properties', operator: 'withinRadius', value: { lat: 40.4, lon: -3.7 } }],
      }),
      [['trigger.conditions.all[0].value.meters', 'must be a number of meters']],
    ],
    [
      'a withinRadius off the globe',
      aCampaign().withConditions({
        all: [{ fact: 'event', path: '$.properties', operator: 'withinRadius', value: { lat: 91, lon: 181, meters: 500 } }],
      }),
      [
        ['trigger.conditions.all[0].value.lat', 'latitude'],
        ['trigger.conditions.all[0].value.lon', 'longitude'],
      ],
    ],
    ['a holdout over 100', aCampaign().with('holdout', 150), [['holdout', 'percentage from 0 to 100']]],
    [
      'a bad exception',
      aCampaign().with('exceptions', [{ event: 'purchase', match: { cartId: 3 } }]),
      [['exceptions[0].match.cartId', 'Expected string']],
    ],
    ['a missing trigger', aCampaign().without('trigger'), [['trigger', 'Required']]],
  ])('rejects %s', (_, builder, expected) => {
    const result = validateCampaign(builder.build());
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => e.path)).toEqual(expected.map(([path]) => path));
    expected.forEach(([, message], index) => expect(errors[index]?.message).toContain(message));
  });

  it.each([null, 'a campaign', 42, []])('rejects %j, which is no document at all, without throwing', (document) => {
    expect(validateCampaign(document)).toEqual({ ok: false, errors: [expect.objectContaining({ path: '' })] });
  });

  it('accepts a document it produced itself', () => {
    const first = validateCampaign(specExample);
    expect(first.ok && validateCampaign(first.campaign)).toEqual(first);
  });
});

describe('validateCampaign on a journey with several kinds of problem', () => {
  it('reports bad step links even when a branch condition is invalid too', () => {
    const result = validateCampaign(
      aCampaign()
        .withSteps([
          { id: 'a', type: 'message', message: { channel: 'sms', body: 'hi' } },
          { id: 'b', type: 'waitFor', event: 'purchase', timeout: 'P1D', onTimeout: 'a' },
          { id: 'c', type: 'branch', branches: [{ when: { fact: 'weather', operator: 'equal', value: 1 }, next: 'd' }] },
        ])
        .build(),
    );
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['steps[2].branches[0].when.fact', 'steps[1].onTimeout', 'steps[2].branches[0].next']));
  });
});

describe('validateCampaign on templates and paths written to hurt the engine', () => {
  const LOOP_BOMB = '{% for i in (1..100000000) %}x{% endfor %}';
  const NESTED_BOMB = '{% for a in (1..10000) %}{% for b in (1..10000) %}{{ a }}{% endfor %}{% endfor %}';
  const journey = (body: string) =>
    aCampaign().withSteps([
      { id: 'wait', type: 'wait', duration: 'PT1H' },
      {
        id: 'check',
        type: 'branch',
        branches: [{ when: { fact: 'journey', path: '$.steps.wait', operator: 'equal', value: 1 }, next: 'send' }],
      },
      { id: 'send', type: 'message', message: { channel: 'sms', body } },
    ]);
  const condition = (path: string) => ({ fact: 'event' as const, path, operator: 'equal' as const, value: 1 });

  it.each([
    [
      'a body of 16 KiB and one byte',
      aCampaign().withMessage({ body: 'a'.repeat(16 * 1024 + 1) }),
      'message.body',
      'must be at most 16384 bytes',
    ],
    ['a body of 6000 three-byte characters', aCampaign().withMessage({ body: '€'.repeat(6000) }), 'message.body', 'got 18000'],
    ['a body looping a hundred million times', aCampaign().withMessage({ body: LOOP_BOMB }), 'message.body', 'memory alloc limit exceeded'],
    [
      'an email subject with nested loops',
      aCampaign().withMessage({ channel: 'email', subject: NESTED_BOMB, body: 'hi' }),
      'message.subject',
      // Time, output or allocations: which limit it meets first depends on the machine's speed.
      'limit exceeded',
    ],
    ['a journey message over 16 KiB', journey('b'.repeat(17_000)), 'steps[2].message.body', 'must be at most 16384 bytes'],
    ['a journey message bomb', journey(LOOP_BOMB), 'steps[2].message.body', 'memory alloc limit exceeded'],
    ['recursive descent', aCampaign().withConditions({ all: [condition('$..a')] }), 'trigger.conditions.all[0].path', 'recursive descent'],
    [
      'a filter script deep in the tree',
      aCampaign().withConditions({ all: [condition('$.a'), { any: [condition('$.properties.items[?(@.price > 1)]')] }] }),
      'trigger.conditions.all[1].any[0].path',
      'filters',
    ],
    [
      'a script index',
      aCampaign().withConditions({ not: condition('$[(@.length-1)]') }),
      'trigger.conditions.not.path',
      'script expressions',
    ],
    ['a wildcard', aCampaign().withConditions(condition('$.a[*]')), 'trigger.conditions.path', 'wildcards'],
    [
      'a prototype key',
      aCampaign().withConditions(condition('$.__proto__.polluted')),
      'trigger.conditions.path',
      'the key "__proto__" is not allowed',
    ],
    [
      'a script in the path of the fact a value refers to',
      aCampaign().withConditions({
        all: [{ fact: 'event', path: '$.properties.cartValue', operator: 'greaterThan', value: { fact: 'profile', path: '$..minCart' } }],
      }),
      'trigger.conditions.all[0].value.path',
      'recursive descent',
    ],
    [
      'a journey branch with a filter',
      aCampaign().withSteps([
        {
          id: 'check',
          type: 'branch',
          branches: [{ when: { all: [{ fact: 'journey', path: '$.steps[?(@.clicked)]', operator: 'equal', value: true }] }, next: 'end' }],
        },
        { id: 'end', type: 'exit' },
      ]),
      'steps[0].branches[0].when.all[0].path',
      'filters',
    ],
  ])('refuses %s, naming %s', (_, builder, path, message) => {
    const result = validateCampaign(builder.build());
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it.each([
    ['a body of exactly 16 KiB', aCampaign().withMessage({ body: 'a'.repeat(16 * 1024) })],
    [
      'a loop bounded by the event, stopped at render time if need be',
      aCampaign().withMessage({ body: '{% for i in (1..event.properties.n) %}.{% endfor %}' }),
    ],
    [
      'quoted keys and list positions',
      aCampaign().withConditions({ all: [condition("$.properties['gift card']"), condition('$.properties["a b"].items[0].sku')] }),
    ],
  ])('accepts %s', (_, builder) => {
    expect(validateCampaign(builder.build())).toMatchObject({ ok: true });
  });
});
