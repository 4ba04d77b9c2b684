import { validateSettings } from './settings.schema';

const issuesOf = (widgets: unknown) => {
  const result = validateSettings({ widgets });
  return result.ok ? [] : result.errors.map((issue) => issue.path);
};

describe('widgets settings', () => {
  it('accepts a widget with every messenger, and fills the defaults', () => {
    const result = validateSettings({
      widgets: {
        shop: {
          title: 'Offers in your messenger',
          telegram: { bot: 'acme_bot' },
          viber: { uri: 'acme' },
          whatsapp: { number: '+34600000000' },
          messenger: { page: 'acmeshop' },
        },
      },
    });
    expect(result.ok && result.settings.widgets.shop).toMatchObject({
      tokenTtl: 'P1D',
      whatsapp: { number: '+34600000000', message: 'Please send me updates. My code:' },
    });
  });

  it('defaults to no widgets', () => {
    const result = validateSettings({});
    expect(result.ok && result.settings.widgets).toEqual({});
  });

  it.each([
    ['a widget offering no messenger', { shop: { title: 'x' } }, 'widgets.shop'],
    ['a bot name that would change the link', { shop: { telegram: { bot: 'acme/../x' } } }, 'widgets.shop.telegram.bot'],
    ['a Viber URI with a query', { shop: { viber: { uri: 'acme&context=x' } } }, 'widgets.shop.viber.uri'],
    ['a WhatsApp number with letters', { shop: { whatsapp: { number: '+34 600 CALL' } } }, 'widgets.shop.whatsapp.number'],
    ['a Messenger page with a slash', { shop: { messenger: { page: 'acme/shop' } } }, 'widgets.shop.messenger.page'],
    ['a widget id with a slash', { 'a/b': { telegram: { bot: 'acme_bot' } } }, 'widgets.a/b'],
    ['a token lifetime over 30 days', { shop: { telegram: { bot: 'acme_bot' }, tokenTtl: 'P31D' } }, 'widgets.shop.tokenTtl'],
    [
      'a frame ancestor that is no origin',
      { shop: { telegram: { bot: 'acme_bot' }, frameAncestors: ["'self' *"] } },
      'widgets.shop.frameAncestors[0]',
    ],
    ['an unknown key', { shop: { telegram: { bot: 'acme_bot' }, colour: 'red' } }, 'widgets.shop'],
  ])('refuses %s, naming the path', (_case, widgets, path) => {
    expect(issuesOf(widgets)).toContain(path);
  });
});
