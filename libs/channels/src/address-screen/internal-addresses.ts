import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Why an address is no place to post a notification: it reaches this host, its network or its cloud, not the internet. */
export type InternalKind =
  | 'cloud metadata'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'unique-local'
  | 'link-local'
  | 'carrier-grade NAT'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

/** What an IP address is: on the public internet, or internal (with its kind, for the failure reason). */
export type AddressClass = { outcome: 'public' } | { outcome: 'internal'; kind: InternalKind };

type Range = readonly [network: string, prefix: number];

// Checked in this order, so the most telling kind wins (169.254.169.254 is metadata before link-local).
const IPV4_RANGES: ReadonlyArray<readonly [InternalKind, readonly Range[]]> = [
  ['cloud metadata', [['169.254.169.254', 32]]],
  ['unspecified', [['0.0.0.0', 8]]],
  ['loopback', [['127.0.0.0', 8]]],
  [
    'private',
    [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
    ],
  ],
  ['link-local', [['169.254.0.0', 16]]],
  ['carrier-grade NAT', [['100.64.0.0', 10]]],
  ['multicast', [['224.0.0.0', 4]]],
  ['broadcast', [['255.255.255.255', 32]]],
  [
    'reserved',
    [
      ['192.0.0.0', 24], // IETF protocol assignments
      ['192.0.2.0', 24], // documentation
      ['198.18.0.0', 15], // benchmarking
      ['198.51.100.0', 24], // documentation
      ['203.0.113.0', 24], // documentation
      ['240.0.0.0', 4], // future use
    ],
  ],
];

const IPV6_RANGES: ReadonlyArray<readonly [InternalKind, readonly Range[]]> = [
  ['cloud metadata', [['fd00:ec2::254', 128]]],
  ['unspecified', [['::', 128]]],
  ['loopback', [['::1', 128]]],
  ['unique-local', [['fc00::', 7]]],
  ['link-local', [['fe80::', 10]]],
  ['multicast', [['ff00::', 8]]],
  [
    'reserved',
    [
      ['::', 96], // IPv4-compatible, deprecated
      ['::ffff:0:0:0', 96], // IPv4-translated
      ['64:ff9b:1::', 48], // local-use NAT64
      ['100::', 64], // discard
      ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID…)
      ['2001:db8::', 32], // documentation
      ['fec0::', 10], // site-local, deprecated
    ],
  ],
];

const ipv4Lists = IPV4_RANGES.map(([kind, ranges]) => [kind, blockListOf(ranges, 'ipv4')] as const);
const ipv6Lists = IPV6_RANGES.map(([kind, ranges]) => [kind, blockListOf(ranges, 'ipv6')] as const);

/** Host names of cloud metadata services, refused by name before any lookup. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog']);

/**
 * Whether `address` (an IPv4 or IPv6 literal, as DNS gives it) is on the public internet or
 * internal: loopback, unspecified, RFC 1918 private, RFC 4193 unique-local, link-local,
 * carrier-grade NAT, cloud metadata, multicast, broadcast or reserved. An IPv6 address that
 * carries an IPv4 one (IPv4-mapped `::ffff:127.0.0.1`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`)
 * is judged by the IPv4 address it reaches. Anything that is no IP address is `reserved`.
 */
export function classifyAddress(literal: string): AddressClass {
  const address = literal.replace(/%.*$/, ''); // an IPv6 zone (`fe80::1%eth0`) names an interface, not another address
  if (isIPv4(address)) return classifyIn(ipv4Lists, address, 'ipv4');
  if (!isIPv6(address)) return { outcome: 'internal', kind: 'reserved' };
  const embedded = embeddedIpv4(address);
  if (embedded !== undefined) return classifyIn(ipv4Lists, embedded, 'ipv4');
  return classifyIn(ipv6Lists, address, 'ipv6');
}

/** Whether `hostname` names a cloud metadata service (`metadata.google.internal`), whatever it resolves to. */
export function isMetadataHostname(hostname: string): boolean {
  return METADATA_HOSTS.has(hostname.toLowerCase().replace(/\.$/, ''));
}

/** The kind as a failure reason says it: `a loopback address`, `an unspecified address`. */
export function describeKind(kind: InternalKind): string {
  return `${kind === 'unspecified' ? 'an' : 'a'} ${kind} address`;
}

function classifyIn(lists: ReadonlyArray<readonly [InternalKind, BlockList]>, address: string, type: 'ipv4' | 'ipv6'): AddressClass {
  const hit = lists.find(([, list]) => list.check(address, type));
  return hit ? { outcome: 'internal', kind: hit[0] } : { outcome: 'public' };
}

function blockListOf(ranges: readonly Range[], type: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, type);
  return list;
}

/** The IPv4 address an IPv4-mapped, NAT64 or 6to4 IPv6 address leads to, if it is one. */
function embeddedIpv4(address: string): string | undefined {
  const words = ipv6Words(address);
  if (words === undefined) return undefined;
  const mapped = words.slice(0, 5).every((word) => word === 0) && words[5] === 0xffff;
  const nat64 = words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((word) => word === 0);
  if (mapped || nat64) return ipv4Of(words[6] ?? 0, words[7] ?? 0);
  if (words[0] === 0x2002) return ipv4Of(words[1] ?? 0, words[2] ?? 0);
  return undefined;
}

/** The eight 16-bit words of an IPv6 address (WHATWG URL serialises it canonically: hex, `::` at most once, no dotted tail). */
function ipv6Words(address: string): number[] | undefined {
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const words = (part: string) => (part ? part.split(':').map((word) => Number.parseInt(word, 16)) : []);
  const front = words(head);
  const back = tail === undefined ? [] : words(tail);
  const filled = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  return filled.length === 8 ? filled : undefined;
}

function ipv4Of(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}
