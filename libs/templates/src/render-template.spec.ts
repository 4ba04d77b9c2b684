import { compileTemplate } from './compile-template';
import { messageLiquid } from './message-liquid';
import { renderTemplate, type TemplateScope } from './render-template';
import { TemplateError } from './template-error';

const scope: TemplateScope = {
  event: { name: 'cart_abandoned', properties: { cartId: 'c9', cartValue: 129.9, items: [{ sku: 'A1' }] } },
  profile: { userId: 'u1', attributes: { firstName: 'Ana', tier: 'gold' } },
  campaign: { id: 'cart-abandon-sms', name: 'Abandoned cart nudge', version: 3 },
};

async function rendered(source: string, options = {}, inScope: TemplateScope = scope) {
  return renderTemplate(compileTemplate(source), inScope, options);
}

describe('renderTemplate', () => {
  it.each([
    ['Hi {{ profile.attributes.firstName }}', 'Hi Ana'],
    ['your cart of {{ event.properties.cartValue }} €', 'your cart of 129.9 €'],
    ['{{ campaign.name }} v{{ campaign.version }}', 'Abandoned cart nudge v3'],
    ['{% if profile.attributes.tier == "gold" %}VIP {% endif %}{{ profile.attributes.firstName | upcase }}', 'VIP ANA'],
    ['{% for item in event.properties.items %}{{ item.sku }}{% endfor %}', 'A1'],
    ['{% assign name = profile.attributes.firstName %}{{ name }}!', 'Ana!'],
  ])('personalises %j as %j', async (source, text) => {
    expect(await rendered(source)).toEqual({ text, missingVariables: [] });
  });

  it.each([
    ['Hi {{ profile.attributes.nickname }}!', 'Hi !', ['profile.attributes.nickname']],
    ['{{ profile.attributes.a }}{{ event.properties.b }}{{ profile.attributes.a }}', '', ['profile.attributes.a', 'event.properties.b']],
    ['{{ profile.address.city }}', '', ['profile.address']],
    ['{{ coupon }}', '', ['coupon']],
    ['{% for x in profile.attributes.orders %}{{ x }}{% endfor %}done', 'done', ['profile.attributes.orders']],
    ['{{ event.properties.items[3].sku }}', '', ['event.properties.items.3']],
  ])('a missing variable in %j renders empty and is reported', async (source, text, missing) => {
    expect(await rendered(source)).toEqual({ text, missingVariables: missing });
  });

  it.each([
    ['Hi {{ profile.attributes.nickname | default: "there" }}', 'Hi there'],
    ['{% if profile.attributes.nickname %}{{ profile.attributes.nickname }}{% else %}friend{% endif %}', 'friend'],
    ['{% unless event.properties.coupon %}no coupon{% endunless %}', 'no coupon'],
  ])('an absent value the template guards against in %j is not reported', async (source, text) => {
    expect(await rendered(source)).toEqual({ text, missingVariables: [] });
  });

  it('renders a missing variable exactly as a plain Liquid render would, whatever it is piped into', async () => {
    expect(await rendered('[{{ profile.attributes.nickname | json }}][{{ profile.attributes.nickname | size }}]')).toEqual({
      text: '[][0]',
      missingVariables: ['profile.attributes.nickname'],
    });
  });

  it('never reads inherited properties', async () => {
    expect(await rendered('{{ profile.constructor }}{{ profile.attributes.toString }}')).toEqual({
      text: '',
      missingVariables: ['profile.constructor', 'profile.attributes.toString'],
    });
  });

  it('leaves the scope it was given untouched', async () => {
    const own: TemplateScope = { event: { properties: {} }, profile: { attributes: {} }, campaign: {} };
    const before = JSON.stringify(own);
    await rendered('{% increment n %}{{ profile.attributes.firstName }}{{ event.properties.x }}', {}, own);
    expect(JSON.stringify(own)).toBe(before);
  });

  describe('| track', () => {
    const source = "Back to {{ 'https://shop.example/cart' | track }}";

    it('leaves the url as it is when the render has no tracker', async () => {
      expect((await rendered(source)).text).toBe('Back to https://shop.example/cart');
    });

    it.each([
      ['a sync tracker', (url: string) => `https://l.example/c1?to=${url}`],
      ['an async tracker', async (url: string) => `https://l.example/c1?to=${url}`],
    ])('uses %s passed to the render', async (_, track) => {
      expect((await rendered(source, { track })).text).toBe('Back to https://l.example/c1?to=https://shop.example/cart');
    });

    it('calls the tracker once per url even when missing variables make it render again', async () => {
      const track = jest.fn(async (url: string) => `t(${url})`);
      const result = await rendered(
        "{{ 'https://a' | track }} {{ profile.attributes.nope }} {{ 'https://a' | track }} {{ 'https://b' | track }}",
        { track },
      );
      expect(result).toEqual({ text: 't(https://a)  t(https://a) t(https://b)', missingVariables: ['profile.attributes.nope'] });
      expect(track.mock.calls).toEqual([['https://a'], ['https://b']]);
    });

    it('keeps concurrent renders apart: each uses its own tracker', async () => {
      const compiled = compileTemplate(source);
      const texts = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          renderTemplate(compiled, scope, {
            track: async (url) => {
              await new Promise((resolve) => setTimeout(resolve, 20 - i));
              return `${url}?r=${i}`;
            },
          }).then((r) => r.text),
        ),
      );
      expect(texts).toEqual(Array.from({ length: 20 }, (_, i) => `Back to https://shop.example/cart?r=${i}`));
    });

    it('renders without liquidjs async machinery when the tracker answers at once', async () => {
      const asyncRender = jest.spyOn(messageLiquid, 'render');
      try {
        expect((await rendered(source, { track: (url: string) => `t(${url})` })).text).toBe('Back to t(https://shop.example/cart)');
        expect(asyncRender).not.toHaveBeenCalled();
      } finally {
        asyncRender.mockRestore();
      }
    });

    it.each([
      "{% increment n %}{{ 'https://a' | track }} {{ profile.attributes.firstName }}{% increment n %}",
      '{% for item in event.properties.items %}{{ item.sku | track }}{% endfor %} {{ profile.attributes.nope }}',
      "{% assign link = 'https://a' | track %}{% if link contains 't(' %}{{ link | upcase }}{% endif %}",
    ])('renders %j the same whether the tracker answers at once or later', async (template) => {
      const sync = await rendered(template, { track: (url: string) => `t(${url})` });
      const later = await rendered(template, { track: async (url: string) => `t(${url})` });
      expect(sync).toEqual(later);
    });

    it('a tracker that throws at once fails the render like one that rejects', async () => {
      const failing = rendered("x\n{{ 'https://a' | track }}", {
        track: () => {
          throw new Error('not a url');
        },
      });
      await expect(failing).rejects.toBeInstanceOf(TemplateError);
      await expect(failing).rejects.toThrow(/not a url, line:2, col:1/);
    });

    it('renders nothing for a url that is not there', async () => {
      expect(await rendered('[{{ event.properties.url | track }}]', { track: () => 'tracked' })).toEqual({
        text: '[]',
        missingVariables: ['event.properties.url'],
      });
    });
  });

  it('a failure while rendering throws a TemplateError naming where it happened', async () => {
    const failing = rendered("x\n{{ 'https://a' | track }}", {
      track: async () => {
        throw new Error('link service down');
      },
    });
    await expect(failing).rejects.toBeInstanceOf(TemplateError);
    await expect(failing).rejects.toThrow(/link service down, line:2, col:1/);
  });

  it('probes for missing variables without stack traces, and gives the process its own limit back', async () => {
    const limit = Error.stackTraceLimit;
    let limitWhileRendering: number | undefined;
    const probed = rendered("{{ profile.attributes.nickname }}{{ 'https://a' | track }}", {
      track: (url: string) => {
        limitWhileRendering = Error.stackTraceLimit;
        return url;
      },
    });
    await expect(probed).resolves.toEqual({ text: 'https://a', missingVariables: ['profile.attributes.nickname'] });
    // The link tracker is asked once per url, by the first (probing) render.
    expect(limitWhileRendering).toBe(0);
    expect(Error.stackTraceLimit).toBe(limit);

    const failing = rendered("{{ x }}{{ 'https://a' | track }}", {
      track: () => {
        throw new Error('link service down');
      },
    });
    await expect(failing).rejects.toThrow(/link service down/);
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
