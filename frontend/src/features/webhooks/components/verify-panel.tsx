import { useState } from 'react';
import { ShieldCheck } from 'lucide-react';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { cn } from '@/lib/utils';

const STANDARD = `// npm install standardwebhooks express
import express from 'express';
import { Webhook } from 'standardwebhooks';

// A generated whsec_… secret. For a secret you chose yourself:
// new Webhook(secret, { format: 'raw' })
const wh = new Webhook(process.env.BACKENDIFY_WEBHOOK_SECRET);
const app = express();

// Verify the body exactly as sent: read it raw, parse it after.
app.post('/hooks/backendify', express.raw({ type: 'application/json' }), (req, res) => {
  let event;
  try {
    event = wh.verify(req.body.toString('utf8'), {
      'webhook-id': req.header('webhook-id'),
      'webhook-timestamp': req.header('webhook-timestamp'),
      'webhook-signature': req.header('webhook-signature'),
    });
  } catch {
    return res.sendStatus(400); // bad signature or too old: not from Backendify
  }
  // webhook-id is the event id, the same on every retry: use it to drop duplicates.
  console.log(event.event, event.collection, event.record_id);
  res.sendStatus(204);
});

app.listen(4000);
`;

const CRYPTO = `import { createHmac, timingSafeEqual } from 'node:crypto';

const secret = process.env.BACKENDIFY_WEBHOOK_SECRET;
// whsec_ secrets sign with their base64-decoded bytes; any other secret with its text.
const key = secret.startsWith('whsec_')
  ? Buffer.from(secret.slice('whsec_'.length), 'base64')
  : Buffer.from(secret, 'utf8');

/**
 * rawBody: the request body exactly as received (string or Buffer), before JSON parsing.
 * headers: lower-cased request headers (Node's req.headers).
 */
export function verifyBackendify(rawBody, headers, toleranceSeconds = 300) {
  const timestamp = headers['x-webhook-timestamp'];
  const signature = headers['x-webhook-signature'] ?? '';
  if (!timestamp || Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) {
    return false; // missing or stale: refuse replays
  }
  const expected =
    'sha256=' + createHmac('sha256', key).update(\`\${timestamp}.\${rawBody}\`).digest('hex');
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
`;

const TABS = [
  { id: 'standard', label: 'standardwebhooks', code: STANDARD },
  { id: 'crypto', label: 'node:crypto', code: CRYPTO },
] as const;

/** How a receiver checks that a delivery came from Backendify, in Node. */
export function VerifyPanel() {
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('standard');
  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
  return (
    <Card data-testid="verify-signatures">
      <CardHeader
        title={
          <span className="inline-flex items-center gap-2">
            <ShieldCheck className="size-4 text-primary" aria-hidden="true" />
            Verify signatures
          </span>
        }
        description={
          <>
            Every delivery is signed twice with the webhook&apos;s secret: the Standard Webhooks
            headers <code className="font-mono text-xs">webhook-id</code>,{' '}
            <code className="font-mono text-xs">webhook-timestamp</code>,{' '}
            <code className="font-mono text-xs">webhook-signature: v1,&lt;base64&gt;</code> (HMAC of{' '}
            <code className="font-mono text-xs">id.timestamp.body</code>), and{' '}
            <code className="font-mono text-xs">X-Webhook-Signature: sha256=&lt;hex&gt;</code> (HMAC
            of <code className="font-mono text-xs">timestamp.body</code>).
          </>
        }
      />
      <CardContent className="grid grid-cols-1 gap-3">
        <div role="tablist" aria-label="Verification snippet" className="flex flex-wrap gap-1">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              onClick={() => setTab(t.id)}
              className={cn(
                'cursor-pointer rounded-md px-3 py-1.5 font-mono text-xs transition-colors',
                tab === t.id
                  ? 'bg-accent font-medium text-accent-foreground'
                  : 'text-muted-foreground hover:bg-muted hover:text-foreground',
              )}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" aria-label={current.label} className="min-w-0">
          <CodeBlock code={current.code} label={`Node · ${current.label}`} />
        </div>
        <p className="text-xs text-muted-foreground">
          A receiver should answer 2xx quickly. Anything else (or no answer within 15 s) is retried
          after about 10 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h and 14 h (±20%), about 30 hours in
          all; <code className="font-mono">Retry-After</code> on 429/503 is honoured, and{' '}
          <code className="font-mono">410 Gone</code> disables the endpoint.
        </p>
      </CardContent>
    </Card>
  );
}
