import { Inject, Injectable } from '@nestjs/common';
import { CONSENT_SOURCES, type ConsentProof, type Profile } from '@nudge/contracts';
import type { TopicSettings } from '@nudge/settings';
import type { Clock } from '@nudge/timing';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CLOCK } from '../clock';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { ActiveProviders } from '../providers/active-providers';
import type { PageLanguage } from './page-language';
import { preferenceUpdateOf, type PreferenceChoice } from './preference-form';
import type { RecipientLinkClaims, TokenVerdict } from './recipient-link-token';
import { recipientLinksFrom, type RecipientLinks } from './recipient-links';
import { RecipientProfileChanges } from './recipient-profile-changes';

/** What the preference centre shows for a token: the profile and the topics, or why not. */
export type PreferenceView =
  { ok: true; claims: RecipientLinkClaims; profile: Profile | null; topics: TopicSettings[] } | Extract<TokenVerdict, { ok: false }>;

/** What saving did: refused (token, or Kafka/database away), or saved (`unsubscribedAll` when the choice was that). */
export type PreferenceSaveOutcome = { ok: true; unsubscribedAll: boolean } | { ok: false; reason: 'invalid' | 'expired' | 'unavailable' };

/**
 * The version of the consent text a preference page's change was made on: the page's words in
 * its language (a change to PAGE_TEXTS' preference wording should bump the number).
 */
export function preferencePageTextVersion(language: PageLanguage): string {
  return `preference-page-1-${language}`;
}

/**
 * The preference centre (`{{ preferences_url }}`): a token checked (signature, purpose
 * `preferences`, expiry), the profile shown with the settings' topics, a choice saved as one
 * profile merge (RecipientProfileChanges: under the user's lock, consent history with source
 * `preference_page` and the request's proof, profile and consent events published before the
 * commit). A user without a stored profile gets none: the page saves nothing and answers the same.
 */
@Injectable()
export class PreferenceCentre {
  private readonly links: RecipientLinks;

  constructor(
    private readonly changes: RecipientProfileChanges,
    private readonly providers: ActiveProviders,
    @Inject(DISPATCH_CONFIG) config: DispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectPinoLogger('recipient-links') private readonly logger: PinoLogger,
  ) {
    this.links = recipientLinksFrom(config);
  }

  check(token: string): TokenVerdict {
    return this.links.verifyPreferences(token, this.clock.now());
  }

  /** The topics of the settings in force (rules saves them; dispatch reloads them with its providers). */
  topics(): TopicSettings[] {
    return this.providers.current().topics;
  }

  /** What the form shows: nothing changes (link scanners fetch GETs). */
  async view(token: string): Promise<PreferenceView> {
    const verdict = this.check(token);
    if (!verdict.ok) return verdict;
    return { ok: true, claims: verdict.claims, profile: await this.changes.profileOf(verdict.claims.userId), topics: this.topics() };
  }

  async save(token: string, choice: PreferenceChoice, proof: ConsentProof): Promise<PreferenceSaveOutcome> {
    const verdict = this.check(token);
    if (!verdict.ok) return verdict;
    const { userId, messageId } = verdict.claims;
    const profile = await this.changes.profileOf(userId);
    const update = profile === null ? {} : preferenceUpdateOf(choice, profile);
    if (profile === null || Object.keys(update).length === 0) return { ok: true, unsubscribedAll: choice.unsubscribeAll };
    const outcome = await this.changes.apply(userId, update, {
      at: this.clock.now().toISOString(),
      source: CONSENT_SOURCES.preferencePage,
      proof,
    });
    if (outcome === 'unavailable') return { ok: false, reason: 'unavailable' };
    this.logger.info(
      { userId, messageId, topics: Object.keys(update.preferences?.topics ?? {}), unsubscribedAll: update.channels !== undefined },
      'preferences saved through the preference centre',
    );
    return { ok: true, unsubscribedAll: choice.unsubscribeAll };
  }
}
