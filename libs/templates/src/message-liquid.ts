import { Liquid, Tag, type TagToken, type TopLevelToken } from 'liquidjs';
import { trackFilter } from './link-tracking';
import { TEMPLATE_LIMITS } from './template-limits';

/** Tags that read other templates from disk; a message body is one self-contained string. */
const FILE_TAGS = ['include', 'render', 'layout'];

class UnavailableTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    throw new Error(`the ${token.name} tag is not available in message templates`);
  }
  render(): void {}
}

/**
 * The one liquidjs instance every message template is parsed and rendered with.
 * - strictFilters: a misspelt filter is a validation error, not silently skipped text;
 * - strictVariables off: a missing variable renders empty (renderTemplate reports it);
 * - lenientIf: when renderTemplate looks for missing variables (a strict render), `if` tests
 *   and `| default` may read absent values, as template authors intend;
 * - ownPropertyOnly: `{{ profile.constructor }}` must not reach into prototypes;
 * - an empty in-memory template map, and file tags refused at parse time: no file system;
 * - parseLimit, renderLimit and memoryLimit from TEMPLATE_LIMITS (renderTemplate passes each
 *   render what is left of its call's time budget).
 */
export const messageLiquid = new Liquid({
  strictFilters: true,
  strictVariables: false,
  lenientIf: true,
  ownPropertyOnly: true,
  templates: {},
  parseLimit: TEMPLATE_LIMITS.parseCharacters,
  renderLimit: TEMPLATE_LIMITS.renderMilliseconds,
  memoryLimit: TEMPLATE_LIMITS.memoryUnits,
});

messageLiquid.registerFilter('track', trackFilter);
for (const name of FILE_TAGS) messageLiquid.registerTag(name, UnavailableTag);
