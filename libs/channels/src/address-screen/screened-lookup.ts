import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';

/** Resolves a host name to every address it has; the system resolver unless a test gives its own. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

/** `dns.lookup` with every address, in the order the system gives them (what a socket would try). */
export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** The `code` of the error a screened lookup fails a connection with; its message is the refusal. */
export const ADDRESS_REFUSED = 'ERR_NUDGE_ADDRESS_REFUSED';

/**
 * A socket `lookup` that screens what the connection will use: it resolves the host with
 * `resolve`, asks `refusalOf` about every address, and fails the connection (an error with
 * code `ADDRESS_REFUSED`, the refusal as message) when any address is refused — a name that
 * also points inside is not trusted with its public addresses either. Otherwise the socket
 * gets exactly these screened addresses: there is no second resolution a rebinding DNS
 * server could answer differently.
 */
export function screenedLookup(resolve: Resolver, refusalOf: (address: string) => string | undefined): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refusal = addresses.map(({ address }) => refusalOf(address)).find((reason) => reason !== undefined);
        if (refusal !== undefined) return callback(refused(refusal), '');
        const wanted = addresses.filter(({ family }) => !familyOf(options) || family === familyOf(options));
        const [first] = wanted;
        if (!first) return callback(notFound(hostname), '');
        return options.all ? callback(null, [...wanted]) : callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

function familyOf({ family }: LookupOptions): number {
  if (family === 'IPv4') return 4;
  return family === 'IPv6' ? 6 : (family ?? 0);
}

function refused(reason: string): NodeJS.ErrnoException {
  return Object.assign(new Error(reason), { code: ADDRESS_REFUSED });
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}
