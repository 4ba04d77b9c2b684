/** Where a click came from, as analytics tools read it. */
export interface UtmParameters {
  /** The channel (`utm_medium`). */
  medium: string;
  /** The campaign id (`utm_campaign`). */
  campaign: string;
}

/**
 * The target of a tracked link: `utm_source=nudge&utm_medium=<channel>&utm_campaign=<id>`
 * appended to an http(s) URL, its own query (byte for byte) and fragment kept. A
 * parameter the URL already sets is the author's choice and stays; other schemes
 * (mailto:, tel:) are left as they are.
 */
export function withUtmParameters(target: string, utm: UtmParameters): string {
  if (!/^https?:\/\//i.test(target)) return target;
  const hashAt = target.indexOf('#');
  const beforeHash = hashAt === -1 ? target : target.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : target.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const present = new URLSearchParams(queryAt === -1 ? '' : beforeHash.slice(queryAt + 1));
  const added = Object.entries({ utm_source: 'nudge', utm_medium: utm.medium, utm_campaign: utm.campaign })
    .filter(([name]) => !present.has(name))
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  if (added.length === 0) return target;
  const separator = queryAt === -1 ? '?' : /[?&]$/.test(beforeHash) ? '' : '&';
  return `${beforeHash}${separator}${added.join('&')}${fragment}`;
}
