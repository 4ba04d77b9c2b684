import { settingsSchema } from '@nudge/settings';
import { ManualClock } from '@nudge/timing';
import type { PinoLogger } from 'nestjs-pino';
import { loadDispatchConfig } from '../config';
import type { ActiveProviders } from '../providers/active-providers';
import { WidgetPages } from './widget-pages.service';
import type { NewWidgetToken, WidgetTokensStore } from './widget-tokens.store';

const { widgets } = settingsSchema.parse({ widgets: { shop: { telegram: { bot: 'acme_bot' } } } });

function pagesWith(codesPerMinute: number) {
  const clock = new ManualClock(new Date('2026-12-03T10:00:00Z'));
  const stored: NewWidgetToken[] = [];
  const tokens = { insert: async (token: NewWidgetToken) => void stored.push(token) } as unknown as WidgetTokensStore;
  const providers = { current: () => ({ widgets }) } as unknown as ActiveProviders;
  const logger = { warn: () => undefined, error: () => undefined } as unknown as PinoLogger;
  const config = loadDispatchConfig({
    NUDGE_LINK_SECRET: 'link-secret-0123456789abcdef',
    DISPATCH_WIDGET_CODES_PER_MINUTE: String(codesPerMinute),
  });
  return { pages: new WidgetPages(providers, tokens, config, clock, logger), stored, clock };
}

describe('widget pages', () => {
  it('stores one code per view, and past DISPATCH_WIDGET_CODES_PER_MINUTE answers 429 storing nothing, until the minute refills', async () => {
    const { pages, stored, clock } = pagesWith(120); // 2 a second: a burst of 2, then 2 more each second
    const statuses = [];
    for (let view = 0; view < 4; view += 1) statuses.push((await pages.open('shop', {})).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(stored).toHaveLength(2);
    expect(stored.every((token) => token.anonymous && token.userId.startsWith('anon-'))).toBe(true);

    clock.advance(1_000);
    expect((await pages.open('shop', {})).status).toBe(200);
    expect(stored).toHaveLength(3);
  });
});
