import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the sink received. */
export interface SinkHit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface SinkAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A real HTTP endpoint in the test process that records every webhook request; each path can be
 * told how to answer (default 200).
 */
export class WebhookSink {
  readonly hits: SinkHit[] = [];
  private readonly answers = new Map<string, (hit: SinkHit, n: number) => SinkAnswer>();
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const hit: SinkHit = {
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        this.hits.push(hit);
        const n = this.hits.filter((h) => h.path === hit.path).length;
        const a = this.answers.get(hit.path)?.(hit, n) ?? { status: 200, body: 'ok' };
        res.writeHead(a.status, { 'content-type': 'text/plain', ...(a.headers ?? {}) });
        res.end(a.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** How `path` answers; `n` counts that path's requests from 1. */
  answer(path: string, fn: (hit: SinkHit, n: number) => SinkAnswer): void {
    this.answers.set(path, fn);
  }

  at(path: string): SinkHit[] {
    return this.hits.filter((h) => h.path === path);
  }

  /** Waits until `path` has at least `count` requests, or fails after `timeoutMs`. */
  async waitFor(path: string, count: number, timeoutMs = 15_000): Promise<SinkHit[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.at(path).length < count) {
      if (Date.now() > deadline)
        throw new Error(
          `sink ${path}: ${this.at(path).length} of ${count} requests after ${timeoutMs} ms`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.at(path);
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** Polls `fn` until it returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
