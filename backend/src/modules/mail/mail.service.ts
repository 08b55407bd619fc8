import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { Pool, PoolClient } from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { MailRepository, type OutboxRow } from './mail.repository';

export interface OutgoingMail {
  projectId: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  kind: string;
}

export interface MailboxMessageDto {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  kind: string;
  created_at: string;
}

const RETRY_INTERVAL_MS = 30_000;

/**
 * Transactional mail: `enqueue` writes the outbox row inside the caller's transaction,
 * `dispatch` sends it over SMTP after commit. Without SMTP_URL, rows stay in the dev mailbox.
 */
@Injectable()
export class MailService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter | null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repo: MailRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.transport = config.smtpUrl ? createTransport(config.smtpUrl) : null;
  }

  get smtpEnabled(): boolean {
    return this.transport !== null;
  }

  onModuleInit(): void {
    if (!this.transport) return;
    this.timer = setInterval(() => void this.retryPending(), RETRY_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.transport?.close();
  }

  /** Writes the mail in the caller's transaction; returns the outbox id to `dispatch` after commit. */
  enqueue(db: Pool | PoolClient, mail: OutgoingMail): Promise<string> {
    return this.repo.insert(db, {
      projectId: mail.projectId,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? null,
      kind: mail.kind,
      status: this.transport ? 'pending' : 'dev',
    });
  }

  /** Sends committed outbox rows in the background, so response time does not reveal who got mail. */
  dispatch(ids: string[]): void {
    if (ids.length === 0) return;
    setImmediate(() => {
      for (const id of ids) void (this.transport ? this.sendOne(id) : this.keepPlatformDev(id));
    });
  }

  /** Where platform mail is kept while SMTP_URL is unset (files readable by the server's operator). */
  get platformMailboxDir(): string {
    return join(this.config.dataDir, 'mailbox');
  }

  /**
   * Without SMTP, platform mail (no project, so no project mailbox) is written to
   * DATA_DIR/mailbox; outside production its link is also logged for the person running the server.
   */
  private async keepPlatformDev(id: string): Promise<void> {
    try {
      const row = await this.repo.findPlatformDev(id);
      if (!row) return;
      await mkdir(this.platformMailboxDir, { recursive: true, mode: 0o700 });
      const file = join(
        this.platformMailboxDir,
        `${new Date(row.created_at).getTime()}-${row.kind}-${row.id}.eml`,
      );
      const headers = `To: ${row.to_address}\nSubject: ${row.subject}\nX-Kind: ${row.kind}\n\n`;
      await writeFile(file, headers + row.text_body + '\n', { mode: 0o600 });
      const link = /https?:\/\/\S+/.exec(row.text_body)?.[0];
      if (this.config.nodeEnv !== 'production' && link)
        this.logger.log(`SMTP_URL unset: mail to ${row.to_address} (${row.subject}): ${link}`);
      else this.logger.log(`SMTP_URL unset: mail to ${row.to_address} kept in ${file}`);
    } catch (err) {
      this.logger.warn(`platform mail ${id} not kept: ${(err as Error).message}`);
    }
  }

  async listMailbox(projectId: string, limit = 100): Promise<{ messages: MailboxMessageDto[] }> {
    const rows = await this.repo.listDev(projectId, limit);
    return { messages: rows.map(toDto) };
  }

  async clearMailbox(projectId: string): Promise<void> {
    await this.repo.clearDev(projectId);
  }

  private async retryPending(): Promise<void> {
    try {
      for (const id of await this.repo.retryable(50)) await this.sendOne(id);
    } catch (err) {
      this.logger.warn(`mail retry sweep failed: ${(err as Error).message}`);
    }
  }

  private async sendOne(id: string): Promise<void> {
    if (!this.transport) return;
    let row: OutboxRow | null = null;
    try {
      row = await this.repo.claim(id);
      if (!row) return;
      await this.transport.sendMail({
        from: this.config.mailFrom,
        to: row.to_address,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body ?? undefined,
      });
      await this.repo.markSent(row.id);
    } catch (err) {
      const message = (err as Error).message ?? 'send failed';
      this.logger.warn(`mail ${id} not sent: ${message}`);
      if (row) await this.repo.markFailed(row.id, message).catch(() => undefined);
    }
  }
}

function toDto(r: OutboxRow): MailboxMessageDto {
  return {
    id: r.id,
    to: r.to_address,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    kind: r.kind,
    created_at: new Date(r.created_at).toISOString(),
  };
}
