import { performance } from 'node:perf_hooks';
import { compileTemplate, validateTemplate } from './compile-template';
import { renderTemplate, type TemplateScope } from './render-template';
import { TemplateError } from './template-error';
import { TEMPLATE_LIMITS } from './template-limits';

const FLAT_LOOP_BOMB = '{% for i in (1..100000000) %}x{% endfor %}';
// Prints nothing (with output, a fast machine hit the output limit first).
const NESTED_LOOP_BOMB = '{% for a in (1..10000) %}{% for b in (1..10000) %}{% endfor %}{% endfor %}';
const APPEND_BOMB = '{% assign s = "xxxxxxxx" %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}';
const CAPTURE_BOMB =
  '{% assign s = "xxxxxxxx" %}{% for i in (1..64) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}';
const TEXT_FLOOD = `{% for i in (1..1000) %}${'y'.repeat(10_000)}{% endfor %}`;
const FROM_THE_EVENT = '{% for i in (1..event.properties.n) %}{{ i }}{% endfor %}';

/**
 * Nested loops over a list the event carries: nothing is allocated and nothing printed, so only
 * the time limit can stop it (10,000 items: a hundred million iterations, some 25 s).
 */
const TIME_BOMB_OVER_ITEMS =
  '{% for a in event.properties.items %}{% for b in event.properties.items %}{% endfor %}{% endfor %}{{ event.properties.items | size }} items';
const itemsOf = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Well above the 1 s render budget, far below what an unbounded bomb would take (minutes, or the heap). */
const STOPPED_WITHIN_MS = 5_000;

function scopeWith(properties: object): TemplateScope {
  return { event: { properties }, profile: {}, campaign: {} };
}

async function failureOf(source: string, scope: TemplateScope = scopeWith({})): Promise<{ error: unknown; elapsed: number }> {
  const started = performance.now();
  try {
    await renderTemplate(compileTemplate(source), scope);
  } catch (error) {
    return { error, elapsed: performance.now() - started };
  }
  throw new Error(`expected ${source.slice(0, 60)} to fail`);
}

describe('template limits', () => {
  it.each([
    ['a loop over a hundred million', FLAT_LOOP_BOMB, 'memory alloc limit exceeded'],
    // Its inner ranges count as allocations: the time or the allocation limit, whichever a machine meets first
    // (only the time limit can stop TIME_BOMB_OVER_ITEMS, below).
    ['nested loops of ten thousand', NESTED_LOOP_BOMB, /template render limit exceeded|memory alloc limit exceeded/],
    ['a string doubled by append', APPEND_BOMB, 'memory alloc limit exceeded'],
    ['a string doubled by capture', CAPTURE_BOMB, /limit exceeded|Invalid string length/],
    ['a loop printing ten megabytes', TEXT_FLOOD, 'rendered text limit exceeded'],
  ])('%s stops quickly with a TemplateError naming the limit', async (_, source, message) => {
    const { error, elapsed } = await failureOf(source);
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ exceedsLimit: true, message: expect.stringMatching(message) });
    expect(elapsed).toBeLessThan(STOPPED_WITHIN_MS);
  });

  it('a loop bounded by the event renders for a sane bound and stops for a hostile one', async () => {
    expect(await renderTemplate(compileTemplate(FROM_THE_EVENT), scopeWith({ n: 3 }))).toEqual({ text: '123', missingVariables: [] });
    const { error, elapsed } = await failureOf(FROM_THE_EVENT, scopeWith({ n: 100_000_000 }));
    expect(error).toMatchObject({ exceedsLimit: true, message: expect.stringContaining('memory alloc limit exceeded') });
    expect(elapsed).toBeLessThan(STOPPED_WITHIN_MS);
  });

  it('all renders of one call share one time budget, however many missing variables it reports', async () => {
    const slowAndFullOfTypos =
      '{% for a in (1..3000) %}{% for b in (1..100) %}{% endfor %}{% endfor %}' +
      Array.from({ length: 40 }, (_, i) => `{{ profile.missing${i} }}`).join('');
    // Rendered apart, each of its 41 renders (40 probes and the text) would take some 80 ms: over 3 s in all.
    const { error, elapsed } = await failureOf(slowAndFullOfTypos);
    expect(error).toMatchObject({ exceedsLimit: true, message: expect.stringContaining('template render limit exceeded') });
    expect(elapsed).toBeLessThan(2_500);
  });

  it('a template whose renders run out of time several times in a row gets a short budget, until one finishes', async () => {
    const compiled = compileTemplate(TIME_BOMB_OVER_ITEMS);
    const timed = async (n: number) => {
      const started = performance.now();
      const outcome = await renderTemplate(compiled, scopeWith({ items: itemsOf(n) })).catch((error: unknown) => error);
      return { outcome, elapsed: performance.now() - started };
    };
    const timedOut = { message: expect.stringContaining('template render limit exceeded') };
    // One slow render (a busy machine, a pause for garbage collection) never shortens the budget.
    for (let i = 0; i < TEMPLATE_LIMITS.timeoutsBeforeShortBudget; i++) {
      const full = await timed(10_000);
      expect(full.outcome).toMatchObject(timedOut);
      expect(full.elapsed).toBeGreaterThanOrEqual(TEMPLATE_LIMITS.renderMilliseconds);
    }
    const short = await timed(10_000);
    expect(short.outcome).toMatchObject(timedOut);
    expect(short.elapsed).toBeLessThan(TEMPLATE_LIMITS.renderMilliseconds / 2);
    // Sane data still renders, and gives the template its full budget back.
    expect((await timed(3)).outcome).toEqual({ text: '3 items', missingVariables: [] });
    const again = await timed(10_000);
    expect(again.outcome).toMatchObject(timedOut);
    expect(again.elapsed).toBeGreaterThanOrEqual(TEMPLATE_LIMITS.renderMilliseconds);
  });

  it('renders started together stop giving a timed-out template its full budget after a few run out', async () => {
    const compiled = compileTemplate(TIME_BOMB_OVER_ITEMS);
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => renderTemplate(compiled, scopeWith({ items: itemsOf(10_000) })).catch((error: unknown) => error)),
    );
    expect(outcomes).toEqual(Array.from({ length: 20 }, () => expect.objectContaining({ exceedsLimit: true })));
    // 20 full budgets would be 20 s; three full ones and 17 short ones are under 4 s.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('renders started together spend only their own time: a batch of ordinary messages all render', async () => {
    // Each call renders three times (two missing variables); calls interleave between renders, so
    // a budget counted in wall-clock time from each call's start would run out for most of them.
    const compiled = compileTemplate(
      '{% for i in (1..5000) %}{% endfor %}Hi {{ profile.firstName }}, {{ event.properties.cartValue }} € is waiting',
    );
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () => renderTemplate(compiled, scopeWith({})).catch((error: unknown) => error)),
    );
    expect(outcomes.filter((o) => o instanceof Error)).toEqual([]);
    expect(outcomes[199]).toEqual({
      text: 'Hi ,  € is waiting',
      missingVariables: ['profile.firstName', 'event.properties.cartValue'],
    });
  });

  it('a message as real messages are renders untouched', async () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ sku: `SKU-${i}`, price: i }));
    const source =
      '{% for item in event.properties.items %}{{ item.sku | upcase }}: {{ item.price | times: 1.21 | round: 2 }}\n{% endfor %}';
    const { text } = await renderTemplate(compileTemplate(source), scopeWith({ items }));
    expect(text.split('\n')).toHaveLength(201);
  });

  it('a source longer than the parse limit is refused before it is parsed', () => {
    expect(() => compileTemplate('x'.repeat(TEMPLATE_LIMITS.parseCharacters + 1))).toThrow('parse length limit exceeded');
    expect(compileTemplate('x'.repeat(TEMPLATE_LIMITS.parseCharacters)).source).toHaveLength(TEMPLATE_LIMITS.parseCharacters);
  });
});

describe('validateTemplate and the limits', () => {
  it.each([
    ['16 KiB of ASCII', 'a'.repeat(16 * 1024)],
    ['a loop bounded by the event', FROM_THE_EVENT],
    ['a loop of a thousand', '{% for i in (1..1000) %}{{ i }}{% endfor %}'],
  ])('%s is accepted', (_, source) => {
    expect(validateTemplate(source)).toBeNull();
  });

  it.each([
    ['one byte over 16 KiB', 'a'.repeat(16 * 1024 + 1), 'must be at most 16384 bytes (UTF-8), got 16385'],
    ['8193 two-byte characters (16386 bytes)', 'é'.repeat(8193), 'must be at most 16384 bytes (UTF-8), got 16386'],
    ['a loop over a hundred million', FLAT_LOOP_BOMB, 'memory alloc limit exceeded'],
    // Its ranges count as allocations too: which limit it meets first depends on the machine's speed.
    ['nested loops of ten thousand', NESTED_LOOP_BOMB, /template render limit exceeded|memory alloc limit exceeded/],
    ['a string doubled by append', APPEND_BOMB, 'memory alloc limit exceeded'],
  ])('%s is refused', (_, source, message) => {
    expect(validateTemplate(source)).toMatch(message);
  });

  it('a bomb validated again is refused at once', () => {
    const bomb = `${NESTED_LOOP_BOMB}{{ 'again' }}`;
    const refused = /template render limit exceeded|memory alloc limit exceeded/;
    expect(validateTemplate(bomb)).toMatch(refused);
    const started = performance.now();
    expect(validateTemplate(bomb)).toMatch(refused);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
