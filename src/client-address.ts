import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * Who is calling: the TCP peer, or, when the peer is one of `trustedProxies`, the
 * address X-Forwarded-For names (proxy-addr's rules, as Express applies them: the
 * nearest address that is not itself a trusted proxy). From any other peer the
 * header is ignored, so a client cannot choose its own address.
 */
export function clientAddressResolver(trustedProxies: string[]): (req: IncomingMessage) => string {
  const trust = proxyaddr.compile(trustedProxies);
  return (req) => proxyaddr(req, trust) ?? 'unknown';
}
