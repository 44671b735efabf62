// Who a request comes from, for per-address limits. The peer's address, unless a proxy in
// front is trusted (REAPLAB_TRUST_PROXY, the same setting express gets): then the
// X-Forwarded-For hop that proxy-addr picks, exactly as express's req.ip does. IPv6
// addresses count by their /64, the block one household or one host is given.

import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import proxyaddr from 'proxy-addr';

/** What express's "trust proxy" accepts: false (default), true, a hop count, or addresses/subnets ("loopback", "10.0.0.0/8"). */
export type TrustProxy = boolean | number | string | string[];

export type AddressOf = (req: IncomingMessage) => string;

export function addressResolver(trust: TrustProxy): AddressOf {
  const fn = compileTrust(trust);
  return (req) => addressKey(proxyaddr(req, fn));
}

/** The trust function express builds from the same setting (its compileTrust, which takes numbers as hop counts). */
function compileTrust(t: TrustProxy): (addr: string, i: number) => boolean {
  if (t === true) return () => true;
  if (t === false) return () => false;
  if (typeof t === 'number') return (_a, i) => i < t;
  return proxyaddr.compile(typeof t === 'string' ? t.split(',').map((s) => s.trim()).filter(Boolean) : t);
}

/** The key an address is counted under: IPv4 (and IPv4-mapped) as it is, IPv6 by its /64. */
export function addressKey(addr: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  if (v4) return v4[1]!;
  if (!isIPv6(addr)) return addr;
  return `${expandIPv6(addr).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(addr: string): string[] {
  const [head, tail] = addr.split('%')[0]!.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array.from({ length: 8 - h.length - t.length }, () => '0');
  return [...h, ...fill, ...t].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/** Parses REAPLAB_TRUST_PROXY: unset/"false" → false, "true", a hop count, or a comma list of addresses/subnets. */
export function parseTrustProxy(v: string | undefined): TrustProxy {
  if (v === undefined || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}
