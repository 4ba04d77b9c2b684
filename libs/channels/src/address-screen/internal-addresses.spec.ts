import { classifyAddress, describeKind, isMetadataHostname, type InternalKind } from './internal-addresses';

describe('classifyAddress', () => {
  it.each<[string, InternalKind]>([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.0.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
  ])('IPv4 %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toEqual({ outcome: 'internal', kind });
  });

  it.each<[string, InternalKind]>([
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['fec0::1', 'reserved'],
  ])('IPv6 %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toEqual({ outcome: 'internal', kind });
  });

  it.each<[string, InternalKind]>([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
    ['::FFFF:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:100.64.1.1', 'carrier-grade NAT'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata'],
    ['2002:c0a8:0101::1', 'private'],
    ['2002:7f00:1::', 'loopback'],
  ])('an IPv6 address carrying IPv4 (%s) is judged by it: %s', (address, kind) => {
    expect(classifyAddress(address)).toEqual({ outcome: 'internal', kind });
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '169.255.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (address) => {
    expect(classifyAddress(address)).toEqual({ outcome: 'public' });
  });

  it('anything that is no IP address is refused as reserved', () => {
    expect(classifyAddress('localhost')).toEqual({ outcome: 'internal', kind: 'reserved' });
  });
});

describe('isMetadataHostname', () => {
  it.each([
    ['metadata.google.internal', true],
    ['METADATA.google.internal.', true],
    ['metadata.goog', true],
    ['metadata.google.internal.example', false],
    ['hooks.acme.example', false],
  ])('%s: %s', (hostname, expected) => {
    expect(isMetadataHostname(hostname)).toBe(expected);
  });
});

describe('describeKind', () => {
  it('reads as a phrase for the failure reason', () => {
    expect(describeKind('loopback')).toBe('a loopback address');
    expect(describeKind('unspecified')).toBe('an unspecified address');
  });
});
