import { parseCampaignText } from './campaign-text';

const yaml = `
id: cart-abandon-sms
schedule: { start: 2026-11-01T00:00:00Z }
timeWindow: { start: "09:00", end: 21:00 }
trigger:
  conditions:
    all:
      - { fact: event, path: $.properties.cartValue, operator: greaterThan, value: 100 }
`;

describe('parseCampaignText', () => {
  it('reads YAML as written: timestamps and times of day stay strings', () => {
    expect(parseCampaignText(yaml, 'cart.yaml')).toEqual({
      ok: true,
      value: {
        id: 'cart-abandon-sms',
        schedule: { start: '2026-11-01T00:00:00Z' },
        timeWindow: { start: '09:00', end: '21:00' },
        trigger: { conditions: { all: [{ fact: 'event', path: '$.properties.cartValue', operator: 'greaterThan', value: 100 }] } },
      },
    });
  });

  it.each([
    ['cart.yml', 'id: a', { id: 'a' }],
    ['CART.YAML', 'id: a', { id: 'a' }],
    ['cart.json', '{ "id": "a" }', { id: 'a' }],
    ['dir.v2/cart.json', '{ "id": "a" }', { id: 'a' }],
    ['empty.yaml', '', null],
  ])('reads %s', (fileName, text, value) => {
    expect(parseCampaignText(text, fileName)).toEqual({ ok: true, value });
  });

  it.each([
    ['bad.yaml', 'id: a\nmessage: [1, 2\nname: b\n', 'bad.yaml:3:1: '],
    ['dup.yaml', 'id: a\nid: b\n', 'dup.yaml:2:1: Map keys must be unique'],
    ['two.yaml', 'id: a\n---\nid: b\n', 'two.yaml:2:1: Source contains multiple documents'],
    ['bad.json', '{\n  "id": "a",\n}', 'bad.json:3:1: Expected double-quoted property name'],
    ['cut.json', '{\n  "id": ', 'cut.json:2:9: Unexpected end of JSON input'],
    ['cart.txt', 'id: a', 'cart.txt: unsupported file type; campaign files end in .yaml, .yml or .json'],
    ['cart', 'id: a', 'cart: unsupported file type'],
  ])('%s is reported at (file) with where it went wrong', (fileName, text, message) => {
    const result = parseCampaignText(text, fileName);
    expect(result).toEqual({ ok: false, errors: [{ path: '(file)', message: expect.stringContaining(message) }] });
  });
});
