import { z } from 'zod';

/**
 * `allowedHosts` of a provider that posts to addresses profiles hold (webhook, webpush): the
 * hosts it may post to, `hooks.acme.example` or `*.acme.example` for its subdomains, each
 * optionally with `:port`. An exact entry also lets that host resolve to an internal address.
 */
export const allowedHostsSchema = z
  .array(
    z
      .string()
      .regex(
        /^(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i,
        'must be a host name, "*.<domain>" for its subdomains, optionally with :port',
      ),
  )
  .min(1, 'must list at least one host (leave it out to allow any)')
  .transform((hosts) => hosts.map((host) => host.toLowerCase()));

/**
 * Whether `target` (a recipient's URL) is on the allow-list: its host (with the port, when the
 * entry names one) equals an entry, or is a subdomain of a `*.` entry. No list allows any host.
 */
export function isAllowedTarget(target: URL, allowedHosts: readonly string[] | undefined): boolean {
  if (allowedHosts === undefined) return true;
  return allowedHosts.some((entry) => entryMatches(entry, target));
}

/**
 * Whether an exact entry (`127.0.0.1:8080`, `crm.internal`; never a `*.` one) names the host of
 * `target`: only then may it resolve to a private, loopback or other internal address. A
 * wildcard says which public hosts are fine; it must not open every internal name below it.
 */
export function isListedExactly(target: URL, allowedHosts: readonly string[] | undefined): boolean {
  return (allowedHosts ?? []).some((entry) => !entry.startsWith('*.') && entryMatches(entry, target));
}

function entryMatches(entry: string, target: URL): boolean {
  const host = target.hostname.toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const subject = /:\d+$/.test(entry) ? `${host}:${port}` : host;
  return entry.startsWith('*.') ? subject.endsWith(entry.slice(1)) : subject === entry;
}
