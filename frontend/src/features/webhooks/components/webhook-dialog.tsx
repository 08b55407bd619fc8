import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SwitchRow } from '@/components/ui/switch';
import { ApiError } from '@/lib/backend';
import type { Collection } from '@/lib/schema-meta';
import { useCreateWebhook, useUpdateWebhook } from '../api/webhook-mutations';
import { compactEvents, expandEvents, type CreatedWebhook, type Webhook } from '../types';
import { CollectionsPicker } from './collections-picker';
import { EventPicker, type EventSelection } from './event-picker';
import { SecretReveal } from './secret-reveal';

interface WebhookDialogProps {
  projectId: string;
  collections: Collection[];
  /** The webhook to edit; null creates one. */
  webhook: Webhook | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated?: (w: CreatedWebhook) => void;
}

/** Create (then show the secret once) or edit a webhook. */
export function WebhookDialog({
  projectId,
  collections,
  webhook,
  open,
  onOpenChange,
  onCreated,
}: WebhookDialogProps) {
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const change = (next: boolean) => {
    if (!next) setCreated(null);
    onOpenChange(next);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={change}
      title={created ? 'Save your signing secret' : webhook ? 'Edit webhook' : 'Create webhook'}
      description={
        created
          ? `“${created.name}” is ${created.is_active ? 'active' : 'paused'}.`
          : 'Backendify POSTs a signed JSON body to the URL for each chosen event, retrying until it answers 2xx.'
      }
      className="sm:max-w-2xl"
    >
      {created ? (
        <SecretReveal secret={created.secret} onDone={() => change(false)} />
      ) : (
        <WebhookForm
          projectId={projectId}
          collections={collections.filter((c) => !c.is_system)}
          webhook={webhook}
          onCancel={() => change(false)}
          onSaved={(w) => {
            if ('secret' in w) {
              setCreated(w);
              onCreated?.(w);
            } else change(false);
          }}
        />
      )}
    </Dialog>
  );
}

function WebhookForm({
  projectId,
  collections,
  webhook,
  onCancel,
  onSaved,
}: {
  projectId: string;
  collections: Collection[];
  webhook: Webhook | null;
  onCancel: () => void;
  onSaved: (w: Webhook | CreatedWebhook) => void;
}) {
  const [name, setName] = useState(webhook?.name ?? '');
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [events, setEvents] = useState<EventSelection>(() =>
    webhook?.events.includes('*')
      ? { all: true, names: new Set() }
      : { all: false, names: expandEvents(webhook?.events ?? ['record.*']) },
  );
  const [picked, setPicked] = useState<string[]>(webhook?.collections ?? []);
  const [secret, setSecret] = useState('');
  const [active, setActive] = useState(true);
  const [touched, setTouched] = useState(false);
  const create = useCreateWebhook(projectId);
  const update = useUpdateWebhook(projectId);
  const mutation = webhook ? update : create;

  const eventList = events.all ? ['*'] : compactEvents(events.names);
  const urlOk = /^https?:\/\/\S+$/i.test(url.trim());
  const secretOk = secret === '' || secret.length >= 16;
  const valid = name.trim() !== '' && urlOk && eventList.length > 0 && secretOk;
  const fieldError = (field: string) =>
    mutation.error instanceof ApiError
      ? mutation.error.errors.find((e) => e.field === field)?.message
      : undefined;
  const urlForbidden =
    mutation.error instanceof ApiError && mutation.error.code === 'WEBHOOK_URL_FORBIDDEN';

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!valid) return;
    const body = {
      name: name.trim(),
      url: url.trim(),
      events: eventList,
      collections: picked,
    };
    if (webhook) update.mutate({ id: webhook.id, body }, { onSuccess: onSaved });
    else
      create.mutate(
        { ...body, is_active: active, ...(secret ? { secret } : {}) },
        { onSuccess: onSaved },
      );
  }

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <ProblemAlert error={mutation.error} />
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,1.6fr)]">
        <Field
          id="webhook-name"
          label="Name"
          error={(touched && !name.trim() ? 'Enter a name' : undefined) ?? fieldError('name')}
        >
          <Input
            id="webhook-name"
            autoFocus
            required
            maxLength={127}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Order sync"
            aria-invalid={(touched && !name.trim()) || undefined}
          />
        </Field>
        <Field
          id="webhook-url"
          label="Endpoint URL"
          hint="Private, loopback and cloud-metadata addresses are refused."
          error={
            (touched && !urlOk ? 'Enter an http:// or https:// URL' : undefined) ??
            fieldError('url') ??
            (urlForbidden ? 'This address is not allowed' : undefined)
          }
        >
          <Input
            id="webhook-url"
            type="url"
            required
            maxLength={2048}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://example.com/hooks/backendify"
            className="font-mono text-xs"
            aria-invalid={(touched && !urlOk) || urlForbidden || undefined}
          />
        </Field>
      </div>
      <EventPicker value={events} onChange={setEvents} invalid={touched && !eventList.length} />
      {touched && eventList.length === 0 && (
        <p className="-mt-2 text-xs text-destructive" role="alert">
          Choose at least one event.
        </p>
      )}
      <CollectionsPicker collections={collections} value={picked} onChange={setPicked} />
      {!webhook && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            id="webhook-secret"
            label={
              <>
                Signing secret <span className="font-normal text-muted-foreground">(optional)</span>
              </>
            }
            hint="At least 16 characters. Empty: a whsec_… secret is generated."
            error={touched && !secretOk ? 'Use at least 16 characters' : undefined}
          >
            <Input
              id="webhook-secret"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              className="font-mono text-xs"
              autoComplete="off"
              spellCheck={false}
            />
          </Field>
          <SwitchRow
            id="webhook-active"
            label="Active"
            hint="Paused webhooks receive nothing."
            checked={active}
            onCheckedChange={setActive}
          />
        </div>
      )}
      <DialogFooter>
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={mutation.isPending}>
          {webhook ? 'Save webhook' : 'Create webhook'}
        </Button>
      </DialogFooter>
    </form>
  );
}
