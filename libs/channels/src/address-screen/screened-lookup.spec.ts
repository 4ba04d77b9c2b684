import type { LookupAddress, LookupOptions } from 'node:dns';
import { addressRefusal } from './address-refusal';
import { ADDRESS_REFUSED, screenedLookup, type Resolver } from './screened-lookup';

type Looked = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

/** Runs a lookup the way a socket does, and gives what it handed back. */
function lookUp(resolve: Resolver, hostname: string, options: LookupOptions = {}, allowedHosts?: string[]): Promise<Looked> {
  const target = new URL(`https://${hostname}/hooks`);
  const policy = { subject: 'webhook URL', allowedHostsSetting: 'providers.webhook.allowedHosts', ...(allowedHosts && { allowedHosts }) };
  const lookup = screenedLookup(resolve, (address) => addressRefusal(target, address, policy));
  return new Promise((settle) => lookup(hostname, options, (error, address, family) => settle({ error, address, family })));
}

const resolvingTo =
  (...addresses: string[]): Resolver =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

describe('screenedLookup', () => {
  it('hands a public address to the socket', async () => {
    const looked = await lookUp(resolvingTo('93.184.216.34'), 'hooks.acme.example');
    expect(looked).toEqual({ error: null, address: '93.184.216.34', family: 4 });
  });

  it.each([
    ['10.0.0.5', 'a private address'],
    ['127.0.0.1', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['::ffff:192.168.0.10', 'a private address'],
    ['100.64.0.7', 'a carrier-grade NAT address'],
    ['fe80::1', 'a link-local address'],
  ])('refuses a name that resolves to %s (%s), so the socket never connects', async (address, kind) => {
    const looked = await lookUp(resolvingTo(address), 'hooks.acme.example');
    expect(looked.error?.code).toBe(ADDRESS_REFUSED);
    expect(looked.error?.message).toBe(
      `webhook URL resolves to ${address}, ${kind}; list its host (hooks.acme.example) in providers.webhook.allowedHosts to allow it`,
    );
  });

  it('refuses cloud metadata even when the host is listed', async () => {
    const looked = await lookUp(resolvingTo('169.254.169.254'), 'hooks.acme.example', {}, ['hooks.acme.example']);
    expect(looked.error?.message).toBe('webhook URL resolves to 169.254.169.254, a cloud metadata address; nothing is ever posted there');
  });

  it('refuses a name with any internal address among public ones', async () => {
    const looked = await lookUp(resolvingTo('93.184.216.34', '10.0.0.5'), 'hooks.acme.example');
    expect(looked.error?.code).toBe(ADDRESS_REFUSED);
  });

  it('screens every resolution: a name that rebinds from a public to a private address is refused on the connection that would reach it', async () => {
    const answers = [['93.184.216.34'], ['10.0.0.5']];
    let lookups = 0;
    const rebinding: Resolver = () => resolvingTo(...(answers[lookups++] ?? []))('');
    expect((await lookUp(rebinding, 'rebind.acme.example')).address).toBe('93.184.216.34');
    const second = await lookUp(rebinding, 'rebind.acme.example');
    expect(second.error?.code).toBe(ADDRESS_REFUSED);
    expect(second.address).toBe('');
  });

  it('lets an internal address through when an exact allowedHosts entry names the host, but not a wildcard', async () => {
    expect((await lookUp(resolvingTo('10.0.0.5'), 'crm.acme.example', {}, ['crm.acme.example'])).address).toBe('10.0.0.5');
    expect((await lookUp(resolvingTo('10.0.0.5'), 'crm.acme.example', {}, ['*.acme.example'])).error?.code).toBe(ADDRESS_REFUSED);
  });

  it('answers every screened address when the socket asks for all, of the family it asks for', async () => {
    const resolve = resolvingTo('2606:4700::1', '93.184.216.34');
    expect((await lookUp(resolve, 'hooks.acme.example', { all: true })).address).toEqual([
      { address: '2606:4700::1', family: 6 },
      { address: '93.184.216.34', family: 4 },
    ]);
    expect(await lookUp(resolve, 'hooks.acme.example', { family: 4 })).toEqual({ error: null, address: '93.184.216.34', family: 4 });
  });

  it('passes a resolver failure on as it is', async () => {
    const failing: Resolver = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' }));
    expect((await lookUp(failing, 'nowhere.example')).error?.code).toBe('ENOTFOUND');
  });
});
