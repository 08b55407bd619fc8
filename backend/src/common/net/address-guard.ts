import { BlockList, isIP, isIPv4 } from 'node:net';

/** Why an address may not be the target of a server-side request; null when it is public. */
export type AddressProblem =
  | 'invalid'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'multicast'
  | 'reserved';

const V4_RANGES: Array<[string, number, AddressProblem]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

// IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are unwrapped first.
const V6_RANGES: Array<[string, number, AddressProblem]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b:1::', 48, 'private'],
  ['100::', 64, 'reserved'],
  ['2001::', 23, 'reserved'],
  ['2001:db8::', 32, 'reserved'],
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'],
  ['ff00::', 8, 'multicast'],
];

function buildLists(ranges: Array<[string, number, AddressProblem]>, type: 'ipv4' | 'ipv6') {
  return ranges.map(([net, prefix, problem]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, type);
    return { list, problem };
  });
}
const V4_LISTS = buildLists(V4_RANGES, 'ipv4');
const V6_LISTS = buildLists(V6_RANGES, 'ipv6');

/** The 16 bytes of a valid IPv6 text (zone id dropped, embedded dotted quad allowed). */
function ipv6Bytes(text: string): number[] {
  const addr = text.split('%')[0];
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, null];
  const parse = (part: string): number[] => {
    if (!part) return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (g.includes('.')) {
        for (const o of g.split('.')) out.push(Number(o));
      } else {
        const v = parseInt(g, 16);
        out.push(v >> 8, v & 0xff);
      }
    }
    return out;
  };
  const left = parse(head);
  if (tail === null) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(16 - left.length - right.length).fill(0), ...right];
}

const v4Of = (b: number[], at: number) => b.slice(at, at + 4).join('.');

/** The IPv4 address an IPv6 address stands for, if it is one of the embedding forms. */
function embeddedIpv4(b: number[]): string | null {
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4Of(b, 12); // ::ffff:a.b.c.d
  if (zero(0, 12)) return v4Of(b, 12); // ::a.b.c.d (deprecated compatible form)
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12))
    return v4Of(b, 12); // 64:ff9b::/96 NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return v4Of(b, 2); // 2002::/16 6to4
  return null;
}

function v4Problem(ip: string): AddressProblem | null {
  if (ip === '255.255.255.255') return 'reserved';
  return V4_LISTS.find((r) => r.list.check(ip, 'ipv4'))?.problem ?? null;
}

/**
 * Classifies an IP address as a server-side request target: null when it is public, otherwise
 * the reason it is refused (loopback, private, link-local, CGNAT, multicast, …).
 */
export function addressProblem(address: string): AddressProblem | null {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const kind = isIP(ip.split('%')[0]);
  if (kind === 4) return v4Problem(ip);
  if (kind !== 6) return 'invalid';
  const bytes = ipv6Bytes(ip);
  if (bytes.length !== 16 || bytes.some((x) => !Number.isInteger(x) || x < 0 || x > 255))
    return 'invalid';
  const unspecified = bytes.every((x) => x === 0);
  if (unspecified) return 'unspecified';
  const loopback = bytes.slice(0, 15).every((x) => x === 0) && bytes[15] === 1;
  if (loopback) return 'loopback';
  const v4 = embeddedIpv4(bytes);
  if (v4 && isIPv4(v4)) return v4Problem(v4);
  const canonical = Array.from({ length: 8 }, (_, i) =>
    ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16),
  ).join(':');
  return V6_LISTS.find((r) => r.list.check(canonical, 'ipv6'))?.problem ?? null;
}
