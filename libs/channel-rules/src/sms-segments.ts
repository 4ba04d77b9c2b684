/** How an SMS body is encoded and how many parts (segments) it is billed as. */
export interface SmsSegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole body. */
  units: number;
}

// GSM 03.38 default alphabet (without the escape character itself) and its extension table.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const LIMITS = {
  'GSM-7': { single: 160, perPart: 153 },
  'UCS-2': { single: 70, perPart: 67 },
} as const;

/**
 * Counts the segments of an SMS body: GSM-7 when every character is in the GSM alphabet
 * (extension characters take two septets), UCS-2 otherwise. A multi-part message loses
 * room to its concatenation header, and a part never ends inside an escape sequence or a
 * surrogate pair, as phones would show a broken character. An empty body is one segment.
 */
export function countSmsSegments(text: string): SmsSegmentCount {
  const gsmCosts = gsmSeptets(text);
  const encoding = gsmCosts ? 'GSM-7' : 'UCS-2';
  const costs = gsmCosts ?? ucs2Units(text);
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const limits = LIMITS[encoding];
  const segments = units <= limits.single ? 1 : packIntoParts(costs, limits.perPart);
  return { encoding, segments, units };
}

/** Septets per character, or null when a character is outside the GSM alphabet. */
function gsmSeptets(text: string): number[] | null {
  const costs: number[] = [];
  for (const char of text) {
    if (GSM_BASIC.has(char)) costs.push(1);
    else if (GSM_EXTENSION.has(char)) costs.push(2);
    else return null;
  }
  return costs;
}

/** UTF-16 code units per code point: 2 for a surrogate pair, which must stay in one part. */
function ucs2Units(text: string): number[] {
  return Array.from(text, (char) => char.length);
}

function packIntoParts(costs: number[], capacity: number): number {
  let parts = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > capacity) {
      parts += 1;
      used = 0;
    }
    used += cost;
  }
  return parts;
}
