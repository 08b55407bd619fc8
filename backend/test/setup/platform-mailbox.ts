import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApp } from './test-app';

export interface PlatformMail {
  file: string;
  to: string;
  subject: string;
  kind: string;
  text: string;
  token: string | null;
}

/** Platform mail written to DATA_DIR/mailbox while SMTP_URL is unset, oldest first. */
export function platformMails(t: TestApp): PlatformMail[] {
  const dir = join(t.config.dataDir, 'mailbox');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((file) => {
      const raw = readFileSync(join(dir, file), 'utf8');
      const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(raw)?.[1] ?? '';
      return {
        file,
        to: header('To').toLowerCase(),
        subject: header('Subject'),
        kind: header('X-Kind'),
        text: raw,
        token: /[?&]token=([A-Za-z0-9_-]+)/.exec(raw)?.[1] ?? null,
      };
    });
}

/** Waits for a platform mail to `to` (of `kind`) that was not among `seen`. */
export async function waitForPlatformMail(
  t: TestApp,
  to: string,
  kind: string,
  seen: PlatformMail[] = [],
  timeoutMs = 5000,
): Promise<PlatformMail> {
  const known = new Set(seen.map((m) => m.file));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = platformMails(t).find(
      (m) => !known.has(m.file) && m.to === to.toLowerCase() && m.kind === kind,
    );
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no ${kind} mail to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
