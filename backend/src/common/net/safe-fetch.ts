import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import {
  Agent,
  buildConnector,
  fetch,
  request,
  type Dispatcher,
  type RequestInit,
  type Response,
} from 'undici';
import { addressProblem, type AddressProblem } from './address-guard';

/** A server-side request aimed at a loopback, private or otherwise internal address. */
export class UnsafeTargetError extends Error {
  constructor(
    readonly host: string,
    readonly problem: AddressProblem,
  ) {
    super(`${host} is a ${problem} address; server-side requests to it are not allowed`);
    this.name = 'UnsafeTargetError';
  }
}

/** How outbound requests treat internal targets: `WEBHOOK_ALLOW_PRIVATE` (DESIGN §3). */
export interface OutboundPolicy {
  allowPrivate: boolean;
}

const CONNECT_TIMEOUT_MS = 10_000;

const stripBrackets = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

/** Resolves like dns.lookup, then refuses the connection if any answer is an internal address. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const bad = addresses.find((a) => addressProblem(a.address) !== null);
    if (bad || addresses.length === 0) {
      const problem = bad ? (addressProblem(bad.address) as AddressProblem) : 'invalid';
      return callback(
        Object.assign(new UnsafeTargetError(hostname, problem), { code: 'EUNSAFETARGET' }),
        '',
        0,
      );
    }
    // net.connect asks for all addresses when it races IPv4 and IPv6 (autoSelectFamily).
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

function guardedAgent(): Agent {
  const base = buildConnector({ lookup: guardedLookup, timeout: CONNECT_TIMEOUT_MS });
  // The check runs when each connection opens, so a DNS answer cannot change after it (rebinding).
  const connect: buildConnector.connector = (opts, callback) => {
    const host = stripBrackets(opts.hostname);
    // net.connect skips the lookup for IP literals, so they are checked here.
    const problem = isIP(host) ? addressProblem(host) : null;
    if (problem) return callback(new UnsafeTargetError(host, problem), null);
    base(opts, callback);
  };
  return new Agent({ connect });
}

let guarded: Agent | null = null;
let open: Agent | null = null;

/** The dispatcher for outbound requests under a policy; each redirect hop connects through it too. */
export function outboundDispatcher(policy: OutboundPolicy): Dispatcher {
  if (policy.allowPrivate)
    return (open ??= new Agent({ connect: { timeout: CONNECT_TIMEOUT_MS } }));
  return (guarded ??= guardedAgent());
}

function unwrap(err: unknown): unknown {
  let e: unknown = err;
  for (let i = 0; i < 5 && e instanceof Error; i++) {
    if (e instanceof UnsafeTargetError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return err;
}

/** An http(s) URL, or a TypeError naming what is wrong with it. */
function outboundUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('Invalid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new TypeError(`Unsupported protocol ${parsed.protocol}`);
  return parsed;
}

/**
 * fetch for server-side requests to user-supplied URLs (OIDC, webhooks, workflow steps): http(s)
 * only, and loopback/private/link-local/CGNAT/multicast targets are refused at connect time
 * (also after redirects) unless the policy allows private targets.
 */
export async function safeFetch(
  url: string,
  init: RequestInit,
  policy: OutboundPolicy,
): Promise<Response> {
  const parsed = outboundUrl(url);
  try {
    return await fetch(parsed, { ...init, dispatcher: outboundDispatcher(policy) });
  } catch (err) {
    throw unwrap(err);
  }
}

export interface SafePostResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The first `maxBodyBytes` of the response body, as text. */
  body: string;
}

/**
 * One POST to a user-supplied URL under the same address rules as `safeFetch`, never following
 * redirects, reading at most `maxBodyBytes` of the answer. Built on undici's `request`, about a
 * third of fetch's CPU per call: webhook deliveries are sent on the API's own cores.
 */
export async function safePost(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number; maxBodyBytes: number },
  policy: OutboundPolicy,
): Promise<SafePostResult> {
  const parsed = outboundUrl(url);
  try {
    const res = await request(parsed, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(init.timeoutMs),
      dispatcher: outboundDispatcher(policy),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      if (size < init.maxBodyBytes) chunks.push(chunk);
      size += chunk.byteLength;
      // A long answer is cut off rather than read to its end (its connection is dropped).
      if (size >= init.maxBodyBytes) {
        res.body.destroy();
        break;
      }
    }
    const body = Buffer.concat(chunks).subarray(0, init.maxBodyBytes).toString('utf8');
    return { status: res.statusCode, headers: res.headers, body };
  } catch (err) {
    throw unwrap(err);
  }
}

/** Resolves a URL's host now and throws UnsafeTargetError if it is internal (early, friendly 400s). */
export async function assertPublicTarget(url: string, policy: OutboundPolicy): Promise<void> {
  if (policy.allowPrivate) return;
  const host = stripBrackets(new URL(url).hostname);
  if (isIP(host)) {
    const problem = addressProblem(host);
    if (problem) throw new UnsafeTargetError(host, problem);
    return;
  }
  await new Promise<void>((resolve, reject) =>
    guardedLookup(host, { all: true }, (err) => (err ? reject(err) : resolve())),
  );
}
