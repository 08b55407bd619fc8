import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

type Listener = (payload: string) => void;

/**
 * One LISTEN connection per process for wake-up hints (change log, cache invalidation). A hint may
 * be lost (reconnects); every consumer also has a periodic run, so nothing depends on it.
 */
@Injectable()
export class ChangeNotifier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('ChangeNotifier');
  private readonly listeners = new Map<string, Listener[]>();
  private client: Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private connected: Promise<void> | null = null;
  /** Channels with a hint in flight → whether another was asked for meanwhile. */
  private readonly hinting = new Map<string, boolean>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  on(channel: string, listener: Listener): void {
    const list = this.listeners.get(channel) ?? [];
    list.push(listener);
    this.listeners.set(channel, list);
  }

  /**
   * Sends a hint on `channel` from this process, coalesced: one NOTIFY in flight at a time, and
   * one more after it if hints arrived meanwhile. Sent on the LISTEN connection, outside any
   * write transaction (a NOTIFY inside one takes a database-wide lock at commit).
   */
  hint(channel: string): void {
    if (this.hinting.has(channel)) {
      this.hinting.set(channel, true);
      return;
    }
    this.hinting.set(channel, false);
    void this.sendHints(channel);
  }

  private async sendHints(channel: string): Promise<void> {
    try {
      do {
        this.hinting.set(channel, false);
        // Without a connection the hint is lost; reconnecting wakes every listener anyway.
        await this.client?.query('SELECT pg_notify($1, $2)', [channel, '']);
      } while (this.hinting.get(channel));
    } catch (err) {
      this.log.warn(`hint on ${channel} failed: ${(err as Error).message}`);
    } finally {
      this.hinting.delete(channel);
    }
  }

  /** Resolves once LISTEN is in place (tests wait on it before relying on hints). */
  whenListening(): Promise<void> {
    return this.connected ?? Promise.resolve();
  }

  onApplicationBootstrap(): void {
    this.connected = this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.config.databaseUrl,
      application_name: 'backendify-listen',
    });
    client.on('notification', (msg) => {
      for (const l of this.listeners.get(msg.channel) ?? []) {
        try {
          l(msg.payload ?? '');
        } catch (err) {
          this.log.warn(`listener failed: ${(err as Error).message}`);
        }
      }
    });
    client.on('error', (err) => {
      this.log.warn(`listen connection lost: ${err.message}`);
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN "${channel}"`);
      this.client = client;
      // Anything that happened while the connection was down is picked up now.
      for (const [, list] of this.listeners) for (const l of list) l('');
    } catch (err) {
      this.log.warn(`cannot listen: ${(err as Error).message}`);
      this.reconnect(client);
    }
  }

  private reconnect(client: Client): void {
    if (this.stopped || this.retryTimer) return;
    if (this.client === client) this.client = null;
    client.end().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connected = this.connect();
    }, 500);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => undefined);
  }
}
