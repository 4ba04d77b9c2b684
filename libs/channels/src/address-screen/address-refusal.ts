import { isIP } from 'node:net';
import { isListedExactly } from './allowed-hosts';
import { classifyAddress, describeKind, isMetadataHostname } from './internal-addresses';

/** What a provider may post to, and how its refusals read. */
export interface AddressPolicy {
  /** What the URL is, as a failure reason names it: `webhook URL`, `push endpoint`. */
  subject: string;
  /** The setting that lists allowed hosts, named in a refusal: `providers.webhook.allowedHosts`. */
  allowedHostsSetting: string;
  allowedHosts?: readonly string[];
}

/**
 * Why `target` must not be posted to at all, before any lookup: its host names a cloud
 * metadata service, or is an IP literal that `addressRefusal` refuses. Undefined when it may
 * be looked up (and each address it resolves to screened by `addressRefusal`).
 */
export function targetRefusal(target: URL, policy: AddressPolicy): string | undefined {
  const host = hostOf(target);
  if (isMetadataHostname(host)) return `${policy.subject} names ${host}, a cloud metadata service; nothing is ever posted there`;
  return isIP(host) ? addressRefusal(target, host, policy) : undefined;
}

/**
 * Why `target` must not be posted to at `address` (what its host resolved to, or the host
 * itself when it is an IP literal), or undefined when it may. Public addresses pass; internal
 * ones (loopback, private, link-local… see `classifyAddress`) only when `allowedHosts` names
 * the host in an exact entry; a cloud metadata address never does.
 */
export function addressRefusal(target: URL, address: string, policy: AddressPolicy): string | undefined {
  const verdict = classifyAddress(address);
  if (verdict.outcome === 'public') return undefined;
  const how = isIP(hostOf(target)) ? 'is' : 'resolves to';
  if (verdict.kind === 'cloud metadata') {
    return `${policy.subject} ${how} ${address}, a cloud metadata address; nothing is ever posted there`;
  }
  if (isListedExactly(target, policy.allowedHosts)) return undefined;
  const kind = `${policy.subject} ${how} ${address}, ${describeKind(verdict.kind)}`;
  // allowedHosts takes names and IPv4 addresses; an IPv6 literal needs a name to be listed by.
  if (target.hostname.startsWith('[')) return `${kind}; list a host name for it in ${policy.allowedHostsSetting} to allow it`;
  const entry = target.port ? `${target.hostname}:${target.port}` : target.hostname;
  return `${kind}; list its host (${entry}) in ${policy.allowedHostsSetting} to allow it`;
}

/** The URL's host without the brackets of an IPv6 literal. */
function hostOf(target: URL): string {
  return target.hostname.replace(/^\[(.*)\]$/, '$1');
}
