import { countSmsSegments } from './sms-segments';

const a = (n: number) => 'a'.repeat(n);
const ya = (n: number) => 'я'.repeat(n);
const euro = (n: number) => '€'.repeat(n);

describe('countSmsSegments', () => {
  it.each([
    ['an empty body is one segment', '', 'GSM-7', 0, 1],
    ['plain text is GSM-7', 'Hello', 'GSM-7', 5, 1],
    ['160 GSM characters fit one segment', a(160), 'GSM-7', 160, 1],
    ['161 GSM characters need two parts of 153', a(161), 'GSM-7', 161, 2],
    ['306 GSM characters fill two parts exactly', a(306), 'GSM-7', 306, 2],
    ['307 GSM characters need a third part', a(307), 'GSM-7', 307, 3],
    ['one accent outside GSM (û) makes it all UCS-2', 'Ça coûte 5£ @ Ñandú', 'UCS-2', 19, 1],
    ['Ç, Ñ, é, ¿ and £ are in the GSM alphabet', '¿Ñé Ç 5£?', 'GSM-7', 9, 1],
    ['extension characters count two septets', 'cost: 5€ {x}', 'GSM-7', 15, 1],
    ['80 euro signs are 160 septets, one segment', euro(80), 'GSM-7', 160, 1],
    ['81 euro signs are 162 septets, two parts', euro(81), 'GSM-7', 162, 2],
    ['an escape sequence never straddles two parts', a(152) + euro(77), 'GSM-7', 306, 3],
    ['newlines are GSM characters', 'line1\nline2', 'GSM-7', 11, 1],
    ['a character outside GSM switches to UCS-2', 'Façade', 'UCS-2', 6, 1],
    ['a tab is outside GSM', 'a\tb', 'UCS-2', 3, 1],
    ['Cyrillic is UCS-2', 'Привет', 'UCS-2', 6, 1],
    ['70 UCS-2 characters fit one segment', ya(70), 'UCS-2', 70, 1],
    ['71 UCS-2 characters need two parts of 67', ya(71), 'UCS-2', 71, 2],
    ['134 UCS-2 characters fill two parts exactly', ya(134), 'UCS-2', 134, 2],
    ['135 UCS-2 characters need a third part', ya(135), 'UCS-2', 135, 3],
    ['an emoji counts two UTF-16 units', 'ok 😀', 'UCS-2', 5, 1],
    ['a surrogate pair never straddles two parts', ya(66) + '😀' + ya(66), 'UCS-2', 134, 3],
  ])('%s', (_behaviour, text, encoding, units, segments) => {
    expect(countSmsSegments(text)).toEqual({ encoding, units, segments });
  });
});
