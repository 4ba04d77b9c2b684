import { withUtmParameters } from './utm-parameters';

const utm = { medium: 'sms', campaign: 'cart-abandon-sms' };
const added = 'utm_source=nudge&utm_medium=sms&utm_campaign=cart-abandon-sms';

describe('withUtmParameters', () => {
  it.each([
    ['a bare URL gets a query', 'https://shop.example/cart', `https://shop.example/cart?${added}`],
    ['a URL with a path and no query', 'https://shop.example', `https://shop.example?${added}`],
    ['an existing query is kept as it is', 'https://shop.example/cart?id=9&q=a%20b+c', `https://shop.example/cart?id=9&q=a%20b+c&${added}`],
    ['the fragment stays last', 'https://shop.example/cart#items', `https://shop.example/cart?${added}#items`],
    ['query and fragment', 'https://shop.example/cart?id=9#items', `https://shop.example/cart?id=9&${added}#items`],
    ['an empty query', 'https://shop.example/cart?', `https://shop.example/cart?${added}`],
    ['a query ending in &', 'https://shop.example/cart?id=9&', `https://shop.example/cart?id=9&${added}`],
    ['a "?" inside the fragment is the fragment’s', 'https://shop.example/#/cart?x=1', `https://shop.example/?${added}#/cart?x=1`],
    [
      'the author’s own utm_source stays, the others are added',
      'https://shop.example/?utm_source=newsletter',
      'https://shop.example/?utm_source=newsletter&utm_medium=sms&utm_campaign=cart-abandon-sms',
    ],
    ['http works like https', 'http://shop.example/a', `http://shop.example/a?${added}`],
    ['mailto is left alone', 'mailto:help@shop.example', 'mailto:help@shop.example'],
    ['tel is left alone', 'tel:+34600000001', 'tel:+34600000001'],
  ])('%s', (_behaviour, target, expected) => {
    expect(withUtmParameters(target, utm)).toBe(expected);
  });

  it('encodes a campaign id that needs it', () => {
    expect(withUtmParameters('https://a.example/', { medium: 'email', campaign: 'black friday/2026' })).toBe(
      'https://a.example/?utm_source=nudge&utm_medium=email&utm_campaign=black%20friday%2F2026',
    );
  });
});
