/**
 * Replies that stop marketing to the address they come from on their channel (SPEC §9
 * "Opt-out by address"): the carriers' (CTIA) standard words and their Spanish, French,
 * German and Russian equivalents.
 */
export const STOP_KEYWORDS: readonly string[] = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'BAJA',
  'ALTO',
  'ARRET',
  'STOPP',
  'СТОП',
  'ОТПИСАТЬСЯ',
];

/** Replies that lift an address's opt-out on their channel. */
export const START_KEYWORDS: readonly string[] = ['START', 'UNSTOP', 'YES', 'ALTA'];

/** What an inbound text asks of its address's marketing: `stop`, `start`, or nothing (null). */
export type KeywordIntent = 'stop' | 'start';

const INTENTS = new Map<string, KeywordIntent>([
  ...STOP_KEYWORDS.map((word) => [canonical(word), 'stop'] as const),
  ...START_KEYWORDS.map((word) => [canonical(word), 'start'] as const),
]);

/** The keyword an inbound text is, as a whole (trimmed, any case, accents ignored), or null for any other text. */
export function keywordIntent(text: string): KeywordIntent | null {
  return INTENTS.get(canonical(text)) ?? null;
}

/**
 * NFD then without combining marks: "ARRÊT", "arrêt" and "arre\u0302t" are all ARRET. Only
 * the marks (U+0300–U+036F) go, so Cyrillic letters stay Cyrillic (Й keeps its breve: no
 * keyword has one, and a different word must not become a keyword).
 */
function canonical(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toUpperCase();
}
