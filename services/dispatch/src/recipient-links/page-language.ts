import type { Profile } from '@nudge/contracts';
import type { TokenVerdict } from './recipient-link-token';

/** Languages recipient pages are written in; every other falls back to English. */
export const PAGE_LANGUAGES = ['en', 'es', 'fr', 'de', 'ru'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** Most Accept-Language entries read: the header is the visitor's, and bounded like any input. */
const MAX_ACCEPTED_LANGUAGES = 20;

/**
 * The language of a recipient page: the profile's locale when we write its language
 * (`es-MX` → `es`), else the browser's first language we write (`Accept-Language`, in the
 * order given — a page without a valid link has no profile to ask), else English.
 */
export function pageLanguageOf(profileLocale: string | undefined, acceptLanguage: string | undefined): PageLanguage {
  const fromProfile = supported(profileLocale);
  if (fromProfile) return fromProfile;
  const accepted = (acceptLanguage ?? '').slice(0, 1_000).split(',').slice(0, MAX_ACCEPTED_LANGUAGES);
  for (const entry of accepted) {
    const [tag = '', ...parameters] = entry.split(';');
    if (parameters.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p))) continue;
    const language = supported(tag.trim());
    if (language) return language;
  }
  return 'en';
}

function supported(locale: string | undefined): PageLanguage | undefined {
  const language = locale?.split(/[-_]/)[0]?.toLowerCase();
  return PAGE_LANGUAGES.find((l) => l === language);
}

/**
 * The language of the page a signed link opens: its user's profile's for a valid link, the
 * browser's otherwise — also when the profile cannot be read just now (the page still answers).
 */
export async function linkPageLanguage(
  verdict: TokenVerdict,
  acceptLanguage: string | undefined,
  profileOf: (userId: string) => Promise<Profile | null>,
): Promise<PageLanguage> {
  if (!verdict.ok) return pageLanguageOf(undefined, acceptLanguage);
  const profile = await profileOf(verdict.claims.userId).catch(() => null);
  return pageLanguageOf(profile?.locale, acceptLanguage);
}
