import {
  Bot,
  Database,
  KeyRound,
  PenLine,
  Plus,
  Settings2,
  ShieldCheck,
  Trash2,
  User,
  UserCog,
  type LucideIcon,
} from 'lucide-react';
import { cn } from '@/lib/utils';
import { Badge, type BadgeTone } from './badge';

/** Who made a change, as the change log records it. */
export interface ChangeActor {
  type: string;
  id: string | null;
  api_key_prefix: string | null;
}

export type ChangeKind = 'record' | 'schema' | 'auth' | 'admin';

/** The kind an action belongs to, from its name alone (`create`, `auth.login`, `schema.add_column`). */
export function actionKind(action: string): ChangeKind {
  if (action === 'create' || action === 'update' || action === 'delete') return 'record';
  if (action.startsWith('schema.')) return 'schema';
  if (action.startsWith('auth.')) return 'auth';
  return 'admin';
}

function actionLook(action: string): { tone: BadgeTone; icon: LucideIcon; className?: string } {
  switch (actionKind(action)) {
    case 'record':
      if (action === 'create') return { tone: 'success', icon: Plus };
      if (action === 'delete') return { tone: 'danger', icon: Trash2 };
      return { tone: 'accent', icon: PenLine };
    case 'schema':
      return {
        tone: 'neutral',
        icon: Database,
        className:
          'bg-sky-500/10 text-sky-700 ring-sky-500/25 dark:text-sky-300 dark:ring-sky-400/30',
      };
    case 'auth':
      return { tone: 'warning', icon: ShieldCheck };
    default:
      return { tone: 'neutral', icon: Settings2 };
  }
}

export function ActionChip({ action, className }: { action: string; className?: string }) {
  const look = actionLook(action);
  const Icon = look.icon;
  return (
    <Badge
      tone={look.tone}
      className={cn('font-mono', look.className, className)}
      data-testid="action-chip"
      data-kind={actionKind(action)}
    >
      <Icon className="size-3" aria-hidden="true" />
      {action}
    </Badge>
  );
}

const actorIcons: Record<string, LucideIcon> = {
  admin: UserCog,
  app_user: User,
  api_key: KeyRound,
  system: Bot,
};

const actorTones: Record<string, BadgeTone> = {
  admin: 'accent',
  app_user: 'success',
  api_key: 'warning',
};

const short = (id: string | null) => (id ? id.slice(0, 8) : '');

/** A readable name for an actor; `names` maps known ids (e.g. member emails) to labels. */
export function actorLabel(actor: ChangeActor, names?: ReadonlyMap<string, string>): string {
  const known = actor.id ? names?.get(actor.id) : undefined;
  switch (actor.type) {
    case 'admin':
      return known ?? `admin ${short(actor.id)}`;
    case 'app_user':
      return known ?? `app user ${short(actor.id)}`;
    case 'api_key':
      return `API key ${actor.api_key_prefix ? `${actor.api_key_prefix}…` : short(actor.id)}`;
    case 'system':
      return 'system';
    default:
      return actor.type;
  }
}

export function ActorChip({
  actor,
  names,
  className,
}: {
  actor: ChangeActor;
  names?: ReadonlyMap<string, string>;
  className?: string;
}) {
  const Icon = actorIcons[actor.type] ?? User;
  return (
    <Badge
      tone={actorTones[actor.type] ?? 'neutral'}
      className={cn('max-w-56', className)}
      title={actor.id ? `${actor.type} ${actor.id}` : actor.type}
      data-testid="actor-chip"
      data-actor-type={actor.type}
    >
      <Icon className="size-3 shrink-0" aria-hidden="true" />
      <span className="truncate">{actorLabel(actor, names)}</span>
    </Badge>
  );
}
