import { isAllowedTarget } from './webhook-settings';

describe('isAllowedTarget', () => {
  const allowed = (url: string, hosts?: string[]) => isAllowedTarget(new URL(url), hosts);

  it('allows any host when no list is given', () => {
    expect(allowed('http://10.0.0.5/admin')).toBe(true);
  });

  it.each([
    ['https://hooks.acme.example/in', ['hooks.acme.example'], true],
    ['https://HOOKS.acme.example/in', ['hooks.acme.example'], true],
    ['https://eu.hooks.acme.example/in', ['*.acme.example'], true],
    ['https://acme.example/in', ['*.acme.example'], false],
    ['https://evilacme.example/in', ['*.acme.example'], false],
    ['http://169.254.169.254/latest/meta-data', ['hooks.acme.example'], false],
    ['http://127.0.0.1:8080/x', ['127.0.0.1:8080'], true],
    ['http://127.0.0.1:9090/x', ['127.0.0.1:8080'], false],
    ['http://127.0.0.1:9090/x', ['127.0.0.1'], true],
  ])('%s with %j: %s', (url, hosts, expected) => {
    expect(allowed(url, hosts)).toBe(expected);
  });
});
