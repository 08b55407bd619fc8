import { Injectable } from '@nestjs/common';
import { serializerFor, type CatalogLookup } from '../../query-engine';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { USERS_TABLE } from '../../schema-engine/schema-op';
import { CatalogService } from '../catalog/catalog.service';
import {
  recordChange,
  stripHidden,
  type ChangeActor,
  type JsonObject,
  type RecordChangeAction,
} from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import { catalogLookup } from '../records/record-target';
import { AppUsersRepository, type Db } from './app-users.repository';

export type AuthVerb =
  | 'register'
  | 'login'
  | 'logout'
  | 'password_change'
  | 'password_reset_request'
  | 'password_reset'
  | 'email_verify'
  | 'otp_request'
  | 'sessions_revoke';

export interface AuthEvent {
  verb: AuthVerb;
  /** The app user the event is about; null only for a code mailed to an address with no user yet. */
  userId: string | null;
  /** Method, provider, scope…: never a secret (the change log drops secret-looking keys too). */
  meta?: JsonObject;
  /**
   * Who acted: the user (default); `anonymous` for requests anyone may make for an address
   * (reset link, code), so the user is not named as their author; `request` for an admin's.
   */
  by?: 'user' | 'anonymous' | 'request';
}

/**
 * The change-log events of app users (DESIGN §4, §8 Audit): `auth.<verb>` for sign-in flows,
 * `create|update|delete` record events for admins' changes, each appended in the transaction
 * that makes the change. The user travels as its visible `_users` columns, never a hidden one.
 */
@Injectable()
export class AppUserEvents {
  constructor(
    private readonly users: AppUsersRepository,
    private readonly catalog: CatalogService,
    private readonly changeLog: ChangeLogService,
  ) {}

  /** The user as events carry it (admin-added fields included), or null when there is none. */
  async snapshot(
    tx: Db,
    projectId: string,
    userId: string,
    lock = false,
  ): Promise<JsonObject | null> {
    const { meta, lookup } = await this.collection(projectId);
    const row = await this.users.findRow(projectId, userId, tx, lock);
    return row ? stripHidden(meta, serializerFor(meta, lookup)(row)) : null;
  }

  /** One `auth.<verb>` event about the user, in the transaction `tx` that made the change. */
  async auth(tx: Db, projectId: string, e: AuthEvent): Promise<void> {
    const { meta: users } = await this.collection(projectId);
    await this.changeLog.append(tx, {
      projectId,
      kind: 'auth',
      action: `auth.${e.verb}`,
      collection: users.name,
      collectionId: users.id,
      recordId: e.userId,
      actor: actorOf(e),
      record: e.userId ? await this.snapshot(tx, projectId, e.userId) : null,
      meta: e.meta ?? null,
    });
  }

  /**
   * A passwordless sign-in: `auth.register` when it made the user, else `auth.login`, saying so
   * when it proved a never-verified address (which drops that account's password and sessions).
   */
  signIn(
    tx: Db,
    projectId: string,
    userId: string,
    how: {
      method: 'otp' | 'magic_link' | 'oauth';
      provider?: string;
      created: boolean;
      proved: boolean;
    },
  ): Promise<void> {
    return this.auth(tx, projectId, {
      verb: how.created ? 'register' : 'login',
      userId,
      meta: {
        method: how.method,
        ...(how.provider ? { provider: how.provider } : {}),
        ...(how.proved ? { email_verified: true } : {}),
      },
    });
  }

  /** An admin's change to a user; `before` is the `snapshot` taken (locked) before an update or delete. */
  async record(
    tx: Db,
    projectId: string,
    action: RecordChangeAction,
    userId: string,
    before: JsonObject | null,
    meta?: JsonObject,
  ): Promise<void> {
    const { meta: users } = await this.collection(projectId);
    const after = action === 'delete' ? null : await this.snapshot(tx, projectId, userId);
    const event = recordChange(projectId, users, action, after, before);
    await this.changeLog.append(tx, meta ? { ...event, meta } : event);
  }

  private async collection(
    projectId: string,
  ): Promise<{ meta: CollectionMeta; lookup: CatalogLookup }> {
    const catalog = await this.catalog.project(projectId);
    const entry = catalog.byName.get(USERS_TABLE);
    // Provisioned with the project in its creation transaction, so never missing.
    if (!entry) throw new Error(`project ${projectId} has no ${USERS_TABLE} collection`);
    return { meta: entry.meta, lookup: catalogLookup(catalog) };
  }
}

function actorOf(e: AuthEvent): ChangeActor | undefined {
  if (e.by === 'request') return undefined;
  if (e.by === 'anonymous' || !e.userId) return { type: 'anonymous', id: null };
  return { type: 'app_user', id: e.userId };
}
