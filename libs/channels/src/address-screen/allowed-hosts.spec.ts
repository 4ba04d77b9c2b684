import { isListedExactly } from './allowed-hosts';

describe('isListedExactly', () => {
  const listed = (url: string, hosts?: string[]) => isListedExactly(new URL(url), hosts);

  it.each([
    ['http://127.0.0.1:8080/x', ['127.0.0.1:8080'], true],
    ['http://127.0.0.1:9090/x', ['127.0.0.1:8080'], false],
    ['http://127.0.0.1:9090/x', ['127.0.0.1'], true],
    ['http://LOCALHOST:8080/x', ['localhost:8080'], true],
    ['https://crm.internal/in', ['crm.internal:443'], true],
    ['http://crm.internal/in', ['crm.internal:443'], false],
    ['https://crm.acme.example/in', ['*.acme.example'], false],
    ['https://crm.acme.example/in', ['*.acme.example', 'crm.acme.example'], true],
    ['https://crm.acme.example/in', undefined, false],
  ])('%s with %j: %s', (url, hosts, expected) => {
    expect(listed(url, hosts)).toBe(expected);
  });
});
