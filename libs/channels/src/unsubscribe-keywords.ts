/** Replies that withdraw marketing consent on the channel they arrive on (SPEC §4, §7). */
export const UNSUBSCRIBE_KEYWORDS: readonly string[] = ['STOP', 'BAJA', 'ARRET', 'ARRÊT', 'UNSUBSCRIBE'];

const KEYWORDS = new Set(UNSUBSCRIBE_KEYWORDS.map(canonical));

/** Whether an inbound text is an unsubscribe keyword: the whole text, trimmed, in any case. */
export function isUnsubscribeRequest(text: string): boolean {
  return KEYWORDS.has(canonical(text));
}

// NFC: a phone may send "Ê" as E + combining circumflex.
function canonical(text: string): string {
  return text.normalize('NFC').trim().toUpperCase();
}
