/**
 * Viber's `message_token` as written in the JSON text. It is a 64-bit integer, which
 * `JSON.parse` would round (4912661846655238145 → 4912661846655238000), so it is read
 * from the raw body instead; Viber sometimes writes it as a string, which reads the same.
 */
export function readMessageToken(json: string): string | undefined {
  return /"message_token"\s*:\s*"?(\d+)"?/.exec(json)?.[1];
}
