import { targetRefusal, type AddressPolicy } from './address-refusal';

const policy: AddressPolicy = { subject: 'webhook URL', allowedHostsSetting: 'providers.webhook.allowedHosts' };
const refusalOf = (url: string, allowedHosts?: string[]) =>
  targetRefusal(new URL(url), { ...policy, ...(allowedHosts && { allowedHosts }) });

describe('targetRefusal', () => {
  it.each([
    [
      'http://127.0.0.1:8080/x',
      'webhook URL is 127.0.0.1, a loopback address; list its host (127.0.0.1:8080) in providers.webhook.allowedHosts to allow it',
    ],
    ['http://[::1]/x', 'webhook URL is ::1, a loopback address; list a host name for it in providers.webhook.allowedHosts to allow it'],
    [
      'http://[::ffff:127.0.0.1]/x',
      'webhook URL is ::ffff:7f00:1, a loopback address; list a host name for it in providers.webhook.allowedHosts to allow it',
    ],
    [
      'http://2130706433/x',
      'webhook URL is 127.0.0.1, a loopback address; list its host (127.0.0.1) in providers.webhook.allowedHosts to allow it',
    ],
    [
      'http://0x0a.1/x',
      'webhook URL is 10.0.0.1, a private address; list its host (10.0.0.1) in providers.webhook.allowedHosts to allow it',
    ],
    [
      'http://0.0.0.0:3000/x',
      'webhook URL is 0.0.0.0, an unspecified address; list its host (0.0.0.0:3000) in providers.webhook.allowedHosts to allow it',
    ],
    ['http://169.254.169.254/latest/meta-data', 'webhook URL is 169.254.169.254, a cloud metadata address; nothing is ever posted there'],
    ['http://[fd00:ec2::254]/latest', 'webhook URL is fd00:ec2::254, a cloud metadata address; nothing is ever posted there'],
    [
      'http://metadata.google.internal/computeMetadata/v1/',
      'webhook URL names metadata.google.internal, a cloud metadata service; nothing is ever posted there',
    ],
  ])('refuses %s before any lookup', (url, reason) => {
    expect(refusalOf(url)).toBe(reason);
  });

  it('leaves a host name to the lookup, and passes a public IP literal', () => {
    expect(refusalOf('https://hooks.acme.example/in')).toBeUndefined();
    expect(refusalOf('https://93.184.216.34/in')).toBeUndefined();
  });

  it('passes an internal IP literal that an exact allowedHosts entry names, never a metadata one', () => {
    expect(refusalOf('http://127.0.0.1:8080/x', ['127.0.0.1:8080'])).toBeUndefined();
    expect(refusalOf('http://169.254.169.254/x', ['169.254.169.254'])).toMatch(/cloud metadata/);
    expect(refusalOf('http://metadata.google.internal/x', ['metadata.google.internal'])).toMatch(/cloud metadata/);
  });
});
