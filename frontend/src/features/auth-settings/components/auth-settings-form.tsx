import { useState, type FormEvent } from 'react';
import { Plus, Save, Trash2, Undo2, X } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardFooter, CardHeader } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SwitchRow } from '@/components/ui/switch';
import { UnsavedChangesGuard } from '@/components/ui/unsaved-changes-guard';
import { useUpdateAuthSettings } from '../api/auth-settings-mutation';
import type {
  AuthSettings,
  AuthSettingsUpdate,
  OAuthProviderName,
  OAuthProviderUpdate,
} from '../types';

type SecretAction = { kind: 'keep' } | { kind: 'replace'; value: string } | { kind: 'clear' };

interface ProviderDraft {
  enabled: boolean;
  client_id: string;
  issuer: string;
  secret: SecretAction;
}

interface Draft {
  enable_email_password: boolean;
  enable_magic_link: boolean;
  enable_otp: boolean;
  allow_public_signup: boolean;
  require_email_verification: boolean;
  access_ttl_minutes: string;
  refresh_ttl_days: string;
  lockout_threshold: string;
  lockout_minutes: string;
  allowed_redirect_uris: string[];
  providers: Record<OAuthProviderName, ProviderDraft>;
}

const PROVIDERS: { name: OAuthProviderName; label: string; hint: string }[] = [
  { name: 'google', label: 'Google', hint: 'Sign in with a Google account.' },
  { name: 'github', label: 'GitHub', hint: 'Sign in with a GitHub account.' },
  {
    name: 'oidc',
    label: 'OpenID Connect',
    hint: 'Any OIDC provider (Keycloak, Auth0, Okta…) found through its issuer URL.',
  },
];

function toDraft(s: AuthSettings): Draft {
  const provider = (name: OAuthProviderName): ProviderDraft => ({
    enabled: s.oauth_providers[name].enabled,
    client_id: s.oauth_providers[name].client_id ?? '',
    issuer: s.oauth_providers[name].issuer ?? '',
    secret: { kind: 'keep' },
  });
  return {
    enable_email_password: s.enable_email_password,
    enable_magic_link: s.enable_magic_link,
    enable_otp: s.enable_otp,
    allow_public_signup: s.allow_public_signup,
    require_email_verification: s.require_email_verification,
    access_ttl_minutes: String(s.access_ttl_minutes),
    refresh_ttl_days: String(s.refresh_ttl_days),
    lockout_threshold: String(s.lockout_threshold),
    lockout_minutes: String(s.lockout_minutes),
    allowed_redirect_uris: s.allowed_redirect_uris,
    providers: { google: provider('google'), github: provider('github'), oidc: provider('oidc') },
  };
}

function intIn(value: string, min: number, max: number, label: string): string | undefined {
  if (!/^\d+$/.test(value.trim())) return `${label} must be a whole number`;
  const n = Number(value);
  if (n < min || n > max) return `${label} must be between ${min} and ${max}`;
  return undefined;
}

function toUpdate(d: Draft): AuthSettingsUpdate {
  const providers: Partial<Record<OAuthProviderName, OAuthProviderUpdate>> = {};
  for (const { name } of PROVIDERS) {
    const p = d.providers[name];
    const out: OAuthProviderUpdate = { enabled: p.enabled };
    if (p.client_id.trim()) out.client_id = p.client_id.trim();
    if (name === 'oidc' && p.issuer.trim()) out.issuer = p.issuer.trim();
    if (p.secret.kind === 'replace' && p.secret.value) out.client_secret = p.secret.value;
    if (p.secret.kind === 'clear') out.client_secret = null;
    providers[name] = out;
  }
  return {
    enable_email_password: d.enable_email_password,
    enable_magic_link: d.enable_magic_link,
    enable_otp: d.enable_otp,
    allow_public_signup: d.allow_public_signup,
    require_email_verification: d.require_email_verification,
    access_ttl_minutes: Number(d.access_ttl_minutes),
    refresh_ttl_days: Number(d.refresh_ttl_days),
    lockout_threshold: Number(d.lockout_threshold),
    lockout_minutes: Number(d.lockout_minutes),
    allowed_redirect_uris: d.allowed_redirect_uris.map((u) => u.trim()).filter(Boolean),
    oauth_providers: providers,
  };
}

export function AuthSettingsForm({
  projectId,
  settings,
}: {
  projectId: string;
  settings: AuthSettings;
}) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const [newUri, setNewUri] = useState('');
  const update = useUpdateAuthSettings(projectId);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const setProvider = (name: OAuthProviderName, patch: Partial<ProviderDraft>) =>
    setDraft((d) => ({
      ...d,
      providers: { ...d.providers, [name]: { ...d.providers[name], ...patch } },
    }));

  const errors = {
    access_ttl_minutes: intIn(draft.access_ttl_minutes, 1, 1440, 'Access token lifetime'),
    refresh_ttl_days: intIn(draft.refresh_ttl_days, 1, 365, 'Refresh token lifetime'),
    lockout_threshold: intIn(draft.lockout_threshold, 1, 100, 'Lockout threshold'),
    lockout_minutes: intIn(draft.lockout_minutes, 1, 1440, 'Lockout duration'),
  };
  const invalid = Object.values(errors).some(Boolean);
  const dirty =
    newUri.trim() !== '' ||
    JSON.stringify(toUpdate(draft)) !== JSON.stringify(toUpdate(toDraft(settings)));

  function addUri() {
    const uri = newUri.trim();
    if (!uri || draft.allowed_redirect_uris.includes(uri)) return;
    set('allowed_redirect_uris', [...draft.allowed_redirect_uris, uri]);
    setNewUri('');
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (invalid) return;
    const body = toUpdate(draft);
    if (newUri.trim())
      body.allowed_redirect_uris = [...(body.allowed_redirect_uris ?? []), newUri.trim()];
    update.mutate(body, {
      onSuccess: (saved) => {
        setDraft(toDraft(saved));
        setNewUri('');
      },
    });
  }

  return (
    <form onSubmit={submit} className="space-y-6" aria-label="Authentication settings">
      <UnsavedChangesGuard when={dirty && !update.isPending} />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader title="Sign-in methods" description="How app users prove who they are." />
          <CardContent className="divide-y divide-border py-2">
            <SwitchRow
              id="enable_email_password"
              label="Email and password"
              hint="Register and log in with an email address and a password."
              checked={draft.enable_email_password}
              onCheckedChange={(v) => set('enable_email_password', v)}
            />
            <SwitchRow
              id="enable_magic_link"
              label="Magic link"
              hint="A one-click sign-in link sent by email."
              checked={draft.enable_magic_link}
              onCheckedChange={(v) => set('enable_magic_link', v)}
            />
            <SwitchRow
              id="enable_otp"
              label="One-time code"
              hint="A 6-digit code sent by email."
              checked={draft.enable_otp}
              onCheckedChange={(v) => set('enable_otp', v)}
            />
          </CardContent>
        </Card>

        <Card>
          <CardHeader title="Sign-up" description="Who may create an account." />
          <CardContent className="divide-y divide-border py-2">
            <SwitchRow
              id="allow_public_signup"
              label="Public signup"
              hint="Anyone may register. When off, only admins create app users."
              checked={draft.allow_public_signup}
              onCheckedChange={(v) => set('allow_public_signup', v)}
            />
            <SwitchRow
              id="require_email_verification"
              label="Require email verification"
              hint="Unverified users cannot log in until they confirm their address."
              checked={draft.require_email_verification}
              onCheckedChange={(v) => set('require_email_verification', v)}
            />
          </CardContent>
        </Card>

        <Card>
          <CardHeader title="Sessions" description="Token lifetimes and brute-force protection." />
          <CardContent className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <Field
              id="access_ttl_minutes"
              label="Access token lifetime (minutes)"
              hint="1 to 1440"
              error={errors.access_ttl_minutes}
            >
              <Input
                id="access_ttl_minutes"
                inputMode="numeric"
                value={draft.access_ttl_minutes}
                aria-invalid={Boolean(errors.access_ttl_minutes)}
                onChange={(e) => set('access_ttl_minutes', e.target.value)}
              />
            </Field>
            <Field
              id="refresh_ttl_days"
              label="Refresh token lifetime (days)"
              hint="1 to 365"
              error={errors.refresh_ttl_days}
            >
              <Input
                id="refresh_ttl_days"
                inputMode="numeric"
                value={draft.refresh_ttl_days}
                aria-invalid={Boolean(errors.refresh_ttl_days)}
                onChange={(e) => set('refresh_ttl_days', e.target.value)}
              />
            </Field>
            <Field
              id="lockout_threshold"
              label="Lockout after failed logins"
              hint="Failed attempts before the account is locked (1 to 100)"
              error={errors.lockout_threshold}
            >
              <Input
                id="lockout_threshold"
                inputMode="numeric"
                value={draft.lockout_threshold}
                aria-invalid={Boolean(errors.lockout_threshold)}
                onChange={(e) => set('lockout_threshold', e.target.value)}
              />
            </Field>
            <Field
              id="lockout_minutes"
              label="Lockout duration (minutes)"
              hint="1 to 1440"
              error={errors.lockout_minutes}
            >
              <Input
                id="lockout_minutes"
                inputMode="numeric"
                value={draft.lockout_minutes}
                aria-invalid={Boolean(errors.lockout_minutes)}
                onChange={(e) => set('lockout_minutes', e.target.value)}
              />
            </Field>
          </CardContent>
        </Card>

        <Card>
          <CardHeader
            title="Allowed redirect URIs"
            description="Where magic links, OAuth and email confirmations may send users back to."
          />
          <CardContent className="space-y-3">
            {draft.allowed_redirect_uris.length === 0 ? (
              <p className="text-sm text-muted-foreground">No redirect URIs yet.</p>
            ) : (
              <ul className="space-y-1.5" aria-label="Redirect URIs">
                {draft.allowed_redirect_uris.map((uri) => (
                  <li
                    key={uri}
                    className="flex items-center justify-between gap-2 rounded-md border border-border px-3 py-1.5"
                  >
                    <code className="truncate font-mono text-xs">{uri}</code>
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-7"
                      aria-label={`Remove ${uri}`}
                      onClick={() =>
                        set(
                          'allowed_redirect_uris',
                          draft.allowed_redirect_uris.filter((u) => u !== uri),
                        )
                      }
                    >
                      <X aria-hidden="true" />
                    </Button>
                  </li>
                ))}
              </ul>
            )}
            <div className="flex gap-2">
              <Input
                aria-label="New redirect URI"
                placeholder="https://app.example.com/auth/callback"
                value={newUri}
                onChange={(e) => setNewUri(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addUri();
                  }
                }}
              />
              <Button variant="outline" onClick={addUri} disabled={!newUri.trim()}>
                <Plus aria-hidden="true" />
                Add
              </Button>
            </div>
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader
          title="OAuth providers"
          description="Client secrets are write-only: they are stored encrypted and never shown again."
        />
        <CardContent className="grid grid-cols-1 gap-6 lg:grid-cols-3">
          {PROVIDERS.map(({ name, label, hint }) => {
            const p = draft.providers[name];
            const secretSet = settings.oauth_providers[name].client_secret_set;
            return (
              <section
                key={name}
                aria-label={`${label} provider`}
                className="space-y-3 rounded-lg border border-border p-4"
              >
                <SwitchRow
                  id={`oauth-${name}-enabled`}
                  label={label}
                  hint={hint}
                  checked={p.enabled}
                  onCheckedChange={(v) => setProvider(name, { enabled: v })}
                />
                {name === 'oidc' && (
                  <Field id={`oauth-${name}-issuer`} label="Issuer URL">
                    <Input
                      id={`oauth-${name}-issuer`}
                      placeholder="https://accounts.example.com"
                      value={p.issuer}
                      onChange={(e) => setProvider(name, { issuer: e.target.value })}
                    />
                  </Field>
                )}
                <Field id={`oauth-${name}-client-id`} label="Client ID">
                  <Input
                    id={`oauth-${name}-client-id`}
                    value={p.client_id}
                    autoComplete="off"
                    onChange={(e) => setProvider(name, { client_id: e.target.value })}
                  />
                </Field>
                <SecretControl
                  id={`oauth-${name}-secret`}
                  isSet={secretSet}
                  action={p.secret}
                  onChange={(secret) => setProvider(name, { secret })}
                />
              </section>
            );
          })}
        </CardContent>
        <CardFooter className="justify-between">
          <ProblemAlert error={update.error} className="flex-1" />
          <div className="ml-auto flex items-center gap-2">
            {dirty && (
              <span className="text-xs text-warning" data-testid="unsaved-changes">
                Unsaved changes
              </span>
            )}
            <Button
              variant="outline"
              onClick={() => {
                setDraft(toDraft(settings));
                update.reset();
              }}
            >
              Reset
            </Button>
            <Button type="submit" loading={update.isPending} disabled={invalid}>
              <Save aria-hidden="true" />
              Save settings
            </Button>
          </div>
        </CardFooter>
      </Card>
    </form>
  );
}

function SecretControl({
  id,
  isSet,
  action,
  onChange,
}: {
  id: string;
  isSet: boolean;
  action: SecretAction;
  onChange: (a: SecretAction) => void;
}) {
  if (action.kind === 'replace' || (!isSet && action.kind === 'keep')) {
    return (
      <Field
        id={id}
        label="Client secret"
        hint={isSet ? 'The new secret replaces the stored one on save.' : 'Not set yet.'}
      >
        <div className="flex gap-2">
          <Input
            id={id}
            type="password"
            autoComplete="new-password"
            value={action.kind === 'replace' ? action.value : ''}
            onChange={(e) => onChange({ kind: 'replace', value: e.target.value })}
          />
          {isSet && (
            <Button
              variant="ghost"
              size="icon"
              aria-label="Keep the stored secret"
              onClick={() => onChange({ kind: 'keep' })}
            >
              <Undo2 aria-hidden="true" />
            </Button>
          )}
        </div>
      </Field>
    );
  }
  return (
    <div className="grid gap-1.5">
      <span className="text-sm font-medium">Client secret</span>
      <div className="flex flex-wrap items-center gap-2">
        {action.kind === 'clear' ? (
          <Badge tone="warning" data-testid={`${id}-state`}>
            Will be cleared on save
          </Badge>
        ) : (
          <Badge tone="success" dot data-testid={`${id}-state`}>
            Set
          </Badge>
        )}
        <Button
          variant="outline"
          size="sm"
          onClick={() => onChange({ kind: 'replace', value: '' })}
        >
          Replace
        </Button>
        {action.kind === 'clear' ? (
          <Button variant="ghost" size="sm" onClick={() => onChange({ kind: 'keep' })}>
            <Undo2 aria-hidden="true" />
            Keep
          </Button>
        ) : (
          <Button
            variant="ghost"
            size="sm"
            className="text-destructive"
            onClick={() => onChange({ kind: 'clear' })}
          >
            <Trash2 aria-hidden="true" />
            Clear
          </Button>
        )}
      </div>
    </div>
  );
}
