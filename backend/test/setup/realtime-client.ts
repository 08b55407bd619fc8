import WebSocket from 'ws';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs read arbitrary JSON messages
export type RtMessage = Record<string, any>;

/** A raw WebSocket client of `/api/realtime` that keeps every message it receives. */
export class RealtimeTestClient {
  readonly messages: RtMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as RtMessage);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        resolve({ code, reason: String(reason) });
        for (const w of this.waiters.splice(0)) w();
      }),
    );
  }

  /** Connects to `baseUrl` (http://…) with the given query (`project`, `token`, `api_key`). */
  static connect(
    baseUrl: string,
    query: Record<string, string>,
    options: { origin?: string } = {},
  ): Promise<RealtimeTestClient> {
    const url = new URL('/api/realtime', baseUrl.replace(/^http/, 'ws'));
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const ws = new WebSocket(url, options);
    const client = new RealtimeTestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (at or after `from`) that satisfies `match`, waiting up to `timeoutMs`. */
  async next(match: (m: RtMessage) => boolean, timeoutMs = 10_000, from = 0): Promise<RtMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.messages.slice(from).find(match);
      if (hit) return hit;
      if (this.ws.readyState === WebSocket.CLOSED)
        throw new Error(`socket closed; messages: ${JSON.stringify(this.messages).slice(0, 2000)}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching message; got ${JSON.stringify(this.messages).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Subscribes and waits for `subscribed` (or the error for this id, which it returns). */
  async subscribe(id: string, collection: string, extra: Record<string, unknown> = {}) {
    const from = this.messages.length;
    this.send({ type: 'subscribe', id, collection, ...extra });
    return this.next(
      (m) => m.id === id && (m.type === 'subscribed' || m.type === 'error'),
      10_000,
      from,
    );
  }

  /** Record events of one subscription, in arrival order. */
  events(subscription: string): RtMessage[] {
    return this.messages.filter((m) => m.subscription === subscription);
  }

  /** Waits until `subscription` has `count` events (fails on timeout). */
  async waitEvents(subscription: string, count: number, timeoutMs = 15_000): Promise<RtMessage[]> {
    await this.next(() => this.events(subscription).length >= count, timeoutMs);
    return this.events(subscription);
  }

  /** Lets in-flight events arrive, for assertions that something did NOT come. */
  settle(ms = 700): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  close(): void {
    this.ws.close();
  }
}
