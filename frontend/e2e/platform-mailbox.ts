import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Platform mail (console verification, invitations) that the server keeps in DATA_DIR/mailbox
 * while SMTP_URL is unset; returns the path+query of the newest link of `kind` mailed to `to`.
 */
export async function waitForMailedLink(to: string, kind: string, after = 0): Promise<string> {
  const dir = join(process.env.BF_E2E_DATA_DIR ?? '', 'mailbox');
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (existsSync(dir)) {
      const files = readdirSync(dir)
        .filter((f) => f.includes(`-${kind}-`) && Number(f.split('-')[0]) >= after)
        .sort()
        .reverse();
      for (const file of files) {
        const raw = readFileSync(join(dir, file), 'utf8');
        if (!new RegExp(`^To: ${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'im').test(raw))
          continue;
        const link = /https?:\/\/\S+[?&]token=[A-Za-z0-9_-]+/.exec(raw)?.[0];
        if (link) {
          const url = new URL(link);
          return `${url.pathname}${url.search}`;
        }
      }
    }
    if (Date.now() > deadline) throw new Error(`no ${kind} mail to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
