import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Plug } from 'lucide-react';
import { Button, type ButtonSize, type ButtonVariant } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { Dialog } from '@/components/ui/dialog';
import { Select } from '@/components/ui/input';
import { collectionsQueryOptions, fieldsQueryOptions } from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import { buildSnippet, type Credential, type SnippetLanguage } from './snippets';

const CREDENTIALS: { value: Credential; label: string; hint: string }[] = [
  {
    value: 'service',
    label: 'Service key',
    hint: 'For your server: passes every policy. Never ship it in an app.',
  },
  {
    value: 'public',
    label: 'Public key',
    hint: 'For web and mobile apps: reaches only what your policies allow “API key”.',
  },
  {
    value: 'app_user',
    label: 'App user',
    hint: 'Signs in as one of your app users, then calls as them, under your policies.',
  },
];

const LANGUAGES: { value: SnippetLanguage; label: string }[] = [
  { value: 'curl', label: 'curl' },
  { value: 'fetch', label: 'fetch' },
  { value: 'client', label: '@backendify/client' },
];

export interface ConnectKey {
  api_key: string;
  kind: 'service' | 'public';
}

interface ConnectButtonProps {
  projectId: string;
  /** The collection the snippets start on (the Data page's); else the first one. */
  collection?: string;
  /** A key just created: the snippets use it as is. */
  apiKey?: ConnectKey;
  variant?: ButtonVariant;
  size?: ButtonSize;
  label?: ReactNode;
}

/** "Connect": opens runnable snippets for this project's own collections and fields. */
export function ConnectButton({
  projectId,
  collection,
  apiKey,
  variant = 'outline',
  size = 'sm',
  label = 'Connect',
}: ConnectButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant={variant} size={size} onClick={() => setOpen(true)}>
        <Plug aria-hidden="true" />
        {label}
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Connect to this project"
        description="Copy a snippet and run it: it lists and creates records in your collection, with its real fields."
        className="max-w-3xl"
      >
        <ConnectPanel projectId={projectId} collection={collection} apiKey={apiKey} />
      </Dialog>
    </>
  );
}

function ConnectPanel({
  projectId,
  collection: initialCollection,
  apiKey,
}: {
  projectId: string;
  collection?: string;
  apiKey?: ConnectKey;
}) {
  const collections = useQuery(collectionsQueryOptions(projectId));
  const own = (collections.data ?? []).filter((c) => !c.is_system);
  const [picked, setPicked] = useState<string | undefined>(initialCollection);
  const collection = own.find((c) => c.name === picked)?.name ?? own[0]?.name;
  const [credential, setCredential] = useState<Credential>(apiKey?.kind ?? 'service');
  const [language, setLanguage] = useState<SnippetLanguage>('curl');
  const fields = useQuery({
    ...fieldsQueryOptions(projectId, collection ?? ''),
    enabled: !!collection,
  });

  if (collections.isPending) return <p className="text-sm text-muted-foreground">Loading…</p>;
  if (!collection) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="connect-no-collection">
        Snippets call one of your collections.{' '}
        <Link
          to="/projects/$projectId/schema"
          params={{ projectId }}
          className="font-medium text-primary hover:underline"
        >
          Create a collection
        </Link>{' '}
        first.
      </p>
    );
  }

  const keyOfCredential = apiKey && apiKey.kind === credential ? apiKey.api_key : undefined;
  const snippet = fields.data
    ? buildSnippet(language, {
        origin: window.location.origin,
        projectId,
        collection,
        fields: fields.data,
        credential,
        apiKey: keyOfCredential,
        clientPackageDir: __BACKENDIFY_CLIENT_DIR__,
      })
    : null;
  const credentialHint = CREDENTIALS.find((c) => c.value === credential)?.hint;

  return (
    <div className="grid grid-cols-1 gap-4" data-testid="connect-panel">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[minmax(0,14rem)_1fr] sm:items-end">
        <label className="grid gap-1.5 text-sm font-medium" htmlFor="connect-collection">
          Collection
          <Select
            id="connect-collection"
            value={collection}
            onChange={(e) => setPicked(e.target.value)}
            className="font-mono"
          >
            {own.map((c) => (
              <option key={c.id} value={c.name}>
                {c.name}
              </option>
            ))}
          </Select>
        </label>
        <Segmented
          label="Call as"
          options={CREDENTIALS}
          value={credential}
          onChange={setCredential}
        />
      </div>
      <p className="-mt-2 text-xs text-muted-foreground" data-testid="connect-credential-hint">
        {credentialHint}
        {credential !== 'app_user' && !keyOfCredential && (
          <>
            {' '}
            <Link
              to="/projects/$projectId/api-keys"
              params={{ projectId }}
              className="font-medium text-primary hover:underline"
            >
              Create a {credential === 'public' ? 'public' : 'service'} key
            </Link>
            .
          </>
        )}
      </p>
      <Segmented label="Language" options={LANGUAGES} value={language} onChange={setLanguage} />
      {snippet ? (
        <>
          {snippet.install && (
            <div data-testid="connect-install">
              <CodeBlock code={snippet.install} label="Install" />
              <p className="mt-1.5 text-xs text-muted-foreground">
                The client is not on npm yet: this installs the copy in this Backendify clone (built
                by <code className="font-mono">pnpm build</code>).
              </p>
            </div>
          )}
          <div data-testid="connect-code" data-language={language} data-credential={credential}>
            <CodeBlock
              code={snippet.code}
              label={language === 'curl' ? 'Shell' : 'connect.mjs'}
              className="[&_pre]:max-h-[50vh]"
            />
          </div>
          <p className="text-xs text-muted-foreground">{snippet.run}</p>
        </>
      ) : (
        <p className="text-sm text-muted-foreground">Loading fields…</p>
      )}
    </div>
  );
}

function Segmented<T extends string>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <div role="group" aria-label={label} className="grid gap-1.5">
      <span className="text-sm font-medium" aria-hidden="true">
        {label}
      </span>
      <div className="flex flex-wrap gap-1 rounded-lg bg-muted p-1">
        {options.map((o) => (
          <button
            key={o.value}
            type="button"
            aria-pressed={o.value === value}
            onClick={() => onChange(o.value)}
            className={cn(
              'rounded-md px-3 py-1.5 text-xs font-medium transition-colors focus-visible:outline-2 focus-visible:outline-ring',
              o.value === value
                ? 'bg-card text-foreground shadow-sm'
                : 'text-muted-foreground hover:text-foreground',
            )}
          >
            {o.label}
          </button>
        ))}
      </div>
    </div>
  );
}
