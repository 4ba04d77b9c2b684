import type { ConditionTree } from './condition-tree';
import { compileBranchConditions, compileTriggerConditions } from './trigger-conditions';
import { aProfile, anEvent } from './trigger-facts.fixtures';

// json-rules-engine's default path resolver evaluates JSONPath filter scripts; every test here
// fails if any condition is resolved through it.
jest.mock('jsonpath-plus', () => ({
  JSONPath: () => {
    throw new Error('jsonpath-plus must never resolve a condition path');
  },
}));

const cartOver100: ConditionTree = { all: [{ fact: 'event', path: '$.properties.cartValue', operator: 'greaterThan', value: 100 }] };
const goldTier: ConditionTree = { all: [{ fact: 'profile', path: '$.attributes.tier', operator: 'equal', value: 'gold' }] };
const bigCartOrLoyal: ConditionTree = {
  all: [
    { fact: 'event', path: '$.properties.currency', operator: 'equal', value: 'EUR' },
    {
      any: [
        { fact: 'event', path: '$.properties.cartValue', operator: 'greaterThanInclusive', value: 200 },
        {
          all: [
            { fact: 'profile', path: '$.attributes.tier', operator: 'in', value: ['gold', 'platinum'] },
            { not: { fact: 'profile', path: '$.attributes.churned', operator: 'equal', value: true } },
          ],
        },
      ],
    },
  ],
};
/** A Segment `group` call lists the groups in `attributes.groups`: membership is `contains`. */
const inAcme: ConditionTree = { all: [{ fact: 'profile', path: '$.attributes.groups', operator: 'contains', value: 'acme' }] };
const nearSol: ConditionTree = {
  all: [{ fact: 'event', path: '$.properties', operator: 'withinRadius', value: { lat: 40.4168, lon: -3.7038, meters: 500 } }],
};

describe('trigger conditions', () => {
  it.each([
    ['no conditions', undefined, {}, {}, true],
    ['cartValue 129.9 > 100', cartOver100, { cartValue: 129.9 }, {}, true],
    ['cartValue 100 is not > 100', cartOver100, { cartValue: 100 }, {}, false],
    ['cartValue absent', cartOver100, {}, {}, false],
    ['cartValue not a number', cartOver100, { cartValue: 'lots' }, {}, false],
    ['a gold profile', goldTier, {}, { tier: 'gold' }, true],
    ['a silver profile', goldTier, {}, { tier: 'silver' }, false],
    ['a profile without tier', goldTier, {}, {}, false],
    ['EUR and a 250 cart', bigCartOrLoyal, { currency: 'EUR', cartValue: 250 }, {}, true],
    ['EUR, small cart, loyal gold', bigCartOrLoyal, { currency: 'EUR', cartValue: 20 }, { tier: 'gold' }, true],
    ['EUR, small cart, gold but churned', bigCartOrLoyal, { currency: 'EUR', cartValue: 20 }, { tier: 'gold', churned: true }, false],
    ['USD and a 250 cart', bigCartOrLoyal, { currency: 'USD', cartValue: 250 }, {}, false],
    ['a member of acme', inAcme, {}, { groups: ['globex', 'acme'] }, true],
    ['a member of other groups only', inAcme, {}, { groups: ['globex'] }, false],
    ['a profile in no group', inAcme, {}, {}, false],
    ['a location 300 m from Sol, inside 500 m', nearSol, { lat: 40.4195, lon: -3.7038 }, {}, true],
    ['a location 700 m from Sol, outside 500 m', nearSol, { lat: 40.4231, lon: -3.7038 }, {}, false],
    ['a location without coordinates', nearSol, { city: 'Madrid' }, {}, false],
    ['coordinates as strings', nearSol, { lat: '40.4168', lon: '-3.7038' }, {}, false],
    [
      'a single condition without all/any',
      { fact: 'event', path: '$.properties.cartValue', operator: 'lessThan', value: 10 },
      { cartValue: 5 },
      {},
      true,
    ],
  ] as const)('%s → %s', async (_, conditions, properties, attributes, expected) => {
    const matches = compileTriggerConditions(conditions as ConditionTree | undefined);
    expect(await matches({ event: anEvent(properties), profile: aProfile(attributes) })).toBe(expected);
  });

  it('one compiled engine answers overlapping runs, each on its own facts', async () => {
    const matches = compileTriggerConditions(cartOver100);
    // Starts are spread over microtask ticks so runs overlap at every stage of one another.
    const answers = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        for (let tick = 0; tick < (i * 7) % 100; tick++) await null;
        return matches({ event: anEvent({ cartValue: i * 2 }), profile: aProfile() });
      }),
    );
    expect(answers).toEqual(Array.from({ length: 100 }, (_, i) => i * 2 > 100));
  });

  it('a run that throws rejects its own call only; the next run of the same engine still answers', async () => {
    const matches = compileTriggerConditions({
      all: [{ fact: 'event', path: '$.properties.items[0].size', operator: 'equal', value: 'XL' }],
    });
    const exploding = Object.defineProperty({}, 'size', {
      enumerable: true,
      get: () => {
        throw new Error('Cannot read this size');
      },
    });
    const broken = matches({ event: anEvent({ items: [exploding] }), profile: aProfile() });
    const fine = matches({ event: anEvent({ items: [{ size: 'XL' }] }), profile: aProfile() });
    await expect(broken).rejects.toThrow('Cannot read this size');
    expect(await fine).toBe(true);
  });

  it.each([
    ['a list position', { fact: 'event', path: '$.properties.items[1].sku', operator: 'equal', value: 'B2' }, true],
    ['a quoted key', { fact: 'event', path: "$.properties['gift card']", operator: 'equal', value: true }, true],
    ['a double-quoted key', { fact: 'event', path: '$.properties["gift card"]', operator: 'equal', value: true }, true],
    ['a position past the end', { fact: 'event', path: '$.properties.items[9].sku', operator: 'equal', value: 'B2' }, false],
    [
      'another fact by a plain path',
      { fact: 'event', path: '$.properties.cartValue', operator: 'greaterThan', value: { fact: 'profile', path: '$.attributes.minCart' } },
      true,
    ],
  ] as const)('a condition on %s resolves with the plain path resolver (%s)', async (_, condition, expected) => {
    const matches = compileTriggerConditions({ all: [condition as ConditionTree] });
    const event = anEvent(JSON.parse('{"cartValue":120,"gift card":true,"items":[{"sku":"A1"},{"sku":"B2"}]}'));
    expect(await matches({ event, profile: aProfile({ minCart: 100 }) })).toBe(expected);
  });

  it('a journey branch resolves its paths the same way', async () => {
    const matches = compileBranchConditions({ fact: 'journey', path: '$.steps.welcome.clicked', operator: 'equal', value: true });
    const facts = { event: anEvent({}), profile: aProfile() };
    expect(await matches({ ...facts, journey: { steps: { welcome: { clicked: true } } } })).toBe(true);
    expect(await matches({ ...facts, journey: { steps: {} } })).toBe(false);
  });

  it('a tree compiled without validation cannot reach a JSONPath engine: a scripted path fails its run', async () => {
    const matches = compileTriggerConditions({
      all: [{ fact: 'event', path: '$.properties.items[?(@.size.length > 1)].size', operator: 'contains', value: 'XL' }],
    });
    await expect(matches({ event: anEvent({ items: [{ size: 'XL' }] }), profile: aProfile() })).rejects.toThrow('not a plain JSON path');
  });
});
