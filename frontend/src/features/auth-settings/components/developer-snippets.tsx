import { useState } from 'react';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { cn } from '@/lib/utils';

type Flow = 'register' | 'login' | 'refresh' | 'me' | 'data';
type Lang = 'curl' | 'fetch';

const FLOWS: { id: Flow; label: string; description: string }[] = [
  {
    id: 'register',
    label: 'Register',
    description: 'Create an account (public signup must be on).',
  },
  { id: 'login', label: 'Log in', description: 'Trade email and password for a token pair.' },
  { id: 'refresh', label: 'Refresh', description: 'Rotate the refresh token for a new pair.' },
  { id: 'me', label: 'Current user', description: 'Read the signed-in app user.' },
  {
    id: 'data',
    label: 'Data call',
    description: 'Call the data API as the app user; policies decide what it sees.',
  },
];

const EMAIL = 'ada@example.com';
const PASSWORD = 'correct-horse-battery';
/** Pulls a string field out of a JSON response without needing jq. */
const extract = (field: string) => `sed -E 's/.*"${field}":"([^"]+)".*/\\1/'`;

export function buildSnippet(flow: Flow, lang: Lang, base: string, collection: string): string {
  const creds = JSON.stringify({ email: EMAIL, password: PASSWORD });
  if (lang === 'curl') {
    const login = `curl -sS -X POST '${base}/auth/login' \\\n  -H 'Content-Type: application/json' \\\n  -d '${creds}'`;
    switch (flow) {
      case 'register':
        return `curl -sS -X POST '${base}/auth/register' \\\n  -H 'Content-Type: application/json' \\\n  -d '${creds}'\n# → {"access_token":"…","refresh_token":"…","token_type":"bearer","expires_in":…}`;
      case 'login':
        return `RESPONSE=$(${login})\nACCESS_TOKEN=$(echo "$RESPONSE" | ${extract('access_token')})\nREFRESH_TOKEN=$(echo "$RESPONSE" | ${extract('refresh_token')})\necho "$RESPONSE"`;
      case 'refresh':
        return `# REFRESH_TOKEN from the login step; the old one stops working (rotation).\ncurl -sS -X POST '${base}/auth/refresh' \\\n  -H 'Content-Type: application/json' \\\n  -d "{\\"refresh_token\\":\\"$REFRESH_TOKEN\\"}"`;
      case 'me':
        return `# ACCESS_TOKEN from the login step\ncurl -sS '${base}/auth/me' \\\n  -H "Authorization: Bearer $ACCESS_TOKEN"`;
      case 'data':
        return `# ACCESS_TOKEN from the login step\ncurl -sS '${base}/data/${collection}?limit=20' \\\n  -H "Authorization: Bearer $ACCESS_TOKEN"\n\ncurl -sS -X POST '${base}/data/${collection}' \\\n  -H "Authorization: Bearer $ACCESS_TOKEN" \\\n  -H 'Content-Type: application/json' \\\n  -d '{"title":"Hello"}'`;
    }
  }
  const header = `const BASE = '${base}';\n\nasync function call(path, { method = 'GET', body, token } = {}) {\n  const res = await fetch(BASE + path, {\n    method,\n    headers: {\n      ...(body ? { 'Content-Type': 'application/json' } : {}),\n      ...(token ? { Authorization: \`Bearer \${token}\` } : {}),\n    },\n    body: body ? JSON.stringify(body) : undefined,\n  });\n  const data = res.status === 204 ? null : await res.json();\n  if (!res.ok) throw new Error(data?.detail ?? res.statusText);\n  return data;\n}\n\n`;
  const login = `const session = await call('/auth/login', {\n  method: 'POST',\n  body: { email: '${EMAIL}', password: '${PASSWORD}' },\n});`;
  switch (flow) {
    case 'register':
      return `${header}const session = await call('/auth/register', {\n  method: 'POST',\n  body: { email: '${EMAIL}', password: '${PASSWORD}' },\n});\nconsole.log(session.access_token, session.refresh_token, session.expires_in);`;
    case 'login':
      return `${header}${login}\nlocalStorage.setItem('refresh_token', session.refresh_token);`;
    case 'refresh':
      return `${header}const next = await call('/auth/refresh', {\n  method: 'POST',\n  body: { refresh_token: localStorage.getItem('refresh_token') },\n});\n// Refresh tokens rotate: keep the new one, the old one is now spent.\nlocalStorage.setItem('refresh_token', next.refresh_token);`;
    case 'me':
      return `${header}${login}\nconst me = await call('/auth/me', { token: session.access_token });\nconsole.log(me);`;
    case 'data':
      return `${header}${login}\nconst token = session.access_token;\nawait call('/data/${collection}', { method: 'POST', token, body: { title: 'Hello' } });\nconst { records, total } = await call('/data/${collection}?limit=20', { token });\nconsole.log(total, records);`;
  }
}

export function DeveloperSnippets({
  projectId,
  collections,
}: {
  projectId: string;
  collections: string[];
}) {
  const [lang, setLang] = useState<Lang>('curl');
  const [picked, setCollection] = useState<string | null>(null);
  const collection = picked ?? collections[0] ?? 'todos';
  const base = `${window.location.origin}/api/projects/${projectId}`;
  return (
    <div className="space-y-4">
      <Card>
        <CardHeader
          title="Call the API as an app user"
          description={
            <>
              Every snippet uses this project&apos;s real endpoint{' '}
              <code className="font-mono text-xs">{base}</code>. Run them top to bottom: log in
              first, then reuse its tokens.
            </>
          }
          actions={
            <div className="flex items-center gap-3">
              <label className="flex items-center gap-2 text-sm">
                <span className="text-muted-foreground">Collection</span>
                <select
                  aria-label="Collection for the data call"
                  className="h-8 rounded-md border border-input bg-card px-2 text-sm"
                  value={collection}
                  onChange={(e) => setCollection(e.target.value)}
                >
                  {(collections.length ? collections : ['todos']).map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
              <div role="tablist" aria-label="Language" className="flex rounded-md bg-muted p-0.5">
                {(['curl', 'fetch'] as const).map((l) => (
                  <button
                    key={l}
                    type="button"
                    role="tab"
                    aria-selected={lang === l}
                    onClick={() => setLang(l)}
                    className={cn(
                      'cursor-pointer rounded px-3 py-1 text-xs font-medium',
                      lang === l ? 'bg-card shadow-xs' : 'text-muted-foreground',
                    )}
                  >
                    {l === 'curl' ? 'curl' : 'JavaScript fetch'}
                  </button>
                ))}
              </div>
            </div>
          }
        />
        <CardContent className="space-y-5">
          {FLOWS.map((f) => (
            <section key={f.id} aria-label={f.label} className="space-y-2">
              <div>
                <h3 className="text-sm font-semibold">{f.label}</h3>
                <p className="text-xs text-muted-foreground">{f.description}</p>
              </div>
              <CodeBlock
                code={buildSnippet(f.id, lang, base, collection)}
                label={lang === 'curl' ? 'Shell' : 'JavaScript'}
              />
            </section>
          ))}
        </CardContent>
      </Card>
    </div>
  );
}
