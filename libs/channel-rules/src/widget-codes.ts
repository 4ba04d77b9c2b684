/**
 * The shape of a subscribe widget's code (issue #12 item 7): what a deep link carries to a
 * messenger (`t.me/<bot>?start=<code>`, Viber's `context`, Messenger's `ref`) and what a
 * WhatsApp visitor sends in the prefilled text. Only its shape is known here; whether a code
 * is genuine (its MAC, its row) is dispatch's to check.
 *
 * 16 characters of Crockford's base32 (digits and upper-case letters without I, L, O, U): it
 * fits Telegram's start parameter (at most 64 of `[A-Za-z0-9_-]`), Messenger's `ref` and
 * Viber's `context`, and a person can read and type it (`K3P9-ZQ4M-…`), with the letters that
 * look like digits read as those digits.
 */
export const WIDGET_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const WIDGET_CODE_LENGTH = 16;

/** Longest raw value an adapter passes on as a code (anything longer is not one of ours). */
export const MAX_RAW_WIDGET_CODE_LENGTH = 64;

const LOOK_ALIKES: Readonly<Record<string, string>> = { I: '1', L: '1', O: '0' };

/** A code in its canonical form (upper case, no separators, look-alikes mapped), or undefined when it cannot be one. */
export function canonicalWidgetCode(raw: string): string | undefined {
  if (raw.length > MAX_RAW_WIDGET_CODE_LENGTH) return undefined;
  const code = raw
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[ILO]/g, (letter) => LOOK_ALIKES[letter] ?? letter);
  if (code.length !== WIDGET_CODE_LENGTH) return undefined;
  return [...code].every((character) => WIDGET_CODE_ALPHABET.includes(character)) ? code : undefined;
}

/** A canonical code as a person reads it: four groups of four, dash-separated. */
export function displayWidgetCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** Four groups of four letters or digits, dash-separated, standing alone in a text. */
const DISPLAYED_CODE = /(?<![A-Za-z0-9-])[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}(?![A-Za-z0-9-])/;

/**
 * The code a message's text carries in its displayed form (`XXXX-XXXX-XXXX-XXXX`, as a
 * widget's WhatsApp link prefills it), canonical, or undefined. The dashes are required: an
 * order number or a word in an ordinary reply is not taken for a code.
 */
export function widgetCodeIn(text: string): string | undefined {
  const match = DISPLAYED_CODE.exec(text.slice(0, 4_096));
  return match ? canonicalWidgetCode(match[0]) : undefined;
}
