import { eventNameSchema, forbiddenCharacterIn, idSchema } from './text-limits';

const accepts = (schema: typeof idSchema, value: string) => schema.safeParse(value).success;

describe('ids', () => {
  it.each([
    ['256 characters', 'u'.repeat(256)],
    ['256 emoji (each one character, two UTF-16 units)', '😀'.repeat(256)],
    ['letters of other scripts', 'usuário-Ωμέγα-用户-مستخدم'],
    ['an emoji sequence joined by U+200D', 'family-👨‍👩‍👧'],
    ['spaces and punctuation inside', 'user 42 / acme.com:eu'],
  ])('accepts %s', (_case, id) => {
    expect(accepts(idSchema, id)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['257 characters', 'u'.repeat(257)],
    ['257 emoji', '😀'.repeat(257)],
    ['NUL', 'u\u0000'],
    ['a tab', 'u\t1'],
    ['a line feed at the end (not trimmed away)', 'u1\n'],
    ['a carriage return', 'u\r1'],
    ['ESC (terminal escapes)', '\u001b[31mred'],
    ['DEL', 'u\u007f'],
    ['a C1 control (U+0085 next line)', 'u\u00851'],
    ['a C1 control (U+009B CSI)', 'u\u009b1'],
    ['a line separator U+2028', 'u\u20281'],
    ['a paragraph separator U+2029', 'u\u20291'],
    ['a right-to-left override U+202E', 'admin\u202Enimda'],
    ['a left-to-right mark U+200E', 'u\u200E1'],
    ['a right-to-left isolate U+2067', 'u\u20671'],
    ['an Arabic letter mark U+061C', 'u\u061C1'],
    ['a byte-order mark U+FEFF', '\uFEFFu1'],
    ['an unpaired high surrogate', 'u\uD83D'],
    ['an unpaired low surrogate', '\uDE00u'],
  ])('refuses %s', (_case, id) => {
    expect(accepts(idSchema, id)).toBe(false);
  });

  it('says what kind of character it refuses; forbiddenCharacterIn names it', () => {
    const result = idSchema.safeParse('u\u0000');
    expect(result.error?.issues[0]?.message).toMatch(/control/);
    expect(forbiddenCharacterIn('u\u0000')).toBe('U+0000');
    expect(forbiddenCharacterIn('admin\u202Enimda')).toBe('U+202E');
  });

  it('trims surrounding spaces', () => {
    expect(idSchema.parse('  u1 ')).toBe('u1');
  });
});

describe('event names', () => {
  it.each([
    ['a snake_case name', 'cart_abandoned'],
    ['a name with spaces, as analytics SDKs send', 'Order Completed'],
    ['a name in another script', 'Заказ оформлен'],
    ['128 characters', 'n'.repeat(128)],
  ])('accepts %s', (_case, name) => {
    expect(accepts(eventNameSchema, name)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['129 characters', 'n'.repeat(129)],
    ['a newline', 'Order\nCompleted'],
    ['NUL', 'Order\u0000'],
    ['a bidi override', 'Order \u202ECompleted'],
  ])('refuses %s', (_case, name) => {
    expect(accepts(eventNameSchema, name)).toBe(false);
  });
});
