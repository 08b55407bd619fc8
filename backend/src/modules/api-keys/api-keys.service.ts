import { Injectable } from '@nestjs/common';
import { generateOpaqueToken, hashToken } from '../../common/auth/token-hash';
import { AppError } from '../../common/errors/app-error';
import { CacheSyncService } from '../cache-sync/cache-sync.service';
import type { JsonObject } from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import type { ApiKeyEntity, ApiKeyKind } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import type { ApiKeyResponseDto, CreatedApiKeyResponseDto } from './dto/api-key.dto';

const KEY_PREFIX = 'bfk_';
// The original's prefix: the first 8 characters of the key.
const PREFIX_LENGTH = 8;
const CACHE_TTL_MS = 30_000;
const TOUCH_INTERVAL_MS = 60_000;

/** The project an API key authenticates for. */
export interface ApiKeyIdentity {
  keyId: string;
  projectId: string;
  kind: ApiKeyKind;
}

interface CacheEntry {
  key: ApiKeyEntity | null;
  at: number;
}

const toDto = (k: ApiKeyEntity): ApiKeyResponseDto => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  kind: k.kind,
  revoked: k.revoked,
  expires_at: k.expiresAt ? k.expiresAt.toISOString() : null,
  last_used_at: k.lastUsedAt ? k.lastUsedAt.toISOString() : null,
  created_at: k.createdAt.toISOString(),
});

/** What the audit log says of a key: never the key, nor its hash. */
const keyMeta = (k: ApiKeyEntity): JsonObject => ({
  api_key_id: k.id,
  name: k.name,
  prefix: k.prefix,
  kind: k.kind,
  revoked: k.revoked,
  expires_at: k.expiresAt ? k.expiresAt.toISOString() : null,
});

@Injectable()
export class ApiKeysService {
  // Keyed by hash so the data hot path needs no query for a known key; revocations clear it in
  // every process (the TTL only bounds memory of keys nobody changes).
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly repo: ApiKeysRepository,
    private readonly cacheSync: CacheSyncService,
    private readonly changeLog: ChangeLogService,
  ) {
    cacheSync.onStale('api_keys', (projectId) => {
      for (const [hash, entry] of this.cache)
        if (projectId === null || !entry.key || entry.key.projectId === projectId)
          this.cache.delete(hash);
    });
  }

  async create(
    projectId: string,
    userId: string,
    name: string,
    expiresAt: string | null | undefined,
    kind: ApiKeyKind = 'service',
  ): Promise<CreatedApiKeyResponseDto> {
    const expires = expiresAt ? new Date(expiresAt) : null;
    if (expires && expires.getTime() <= Date.now()) {
      throw AppError.validation('expires_at must be in the future', [
        { field: 'expires_at', rule: 'future', message: 'expires_at must be in the future' },
      ]);
    }
    const apiKey = KEY_PREFIX + generateOpaqueToken(32);
    const row = await this.repo.transaction(async (m, client) => {
      const k = await this.repo.create(m, {
        projectId,
        name,
        prefix: apiKey.slice(0, PREFIX_LENGTH),
        kind,
        keyHash: hashToken(apiKey),
        expiresAt: expires,
        createdByUserId: userId,
      });
      await this.changeLog.appendAdmin(client, projectId, 'api_key.create', keyMeta(k));
      return k;
    });
    return { ...toDto(row), api_key: apiKey };
  }

  async list(projectId: string): Promise<ApiKeyResponseDto[]> {
    return (await this.repo.list(projectId)).map(toDto);
  }

  async revoke(projectId: string, id: string): Promise<void> {
    const key = await this.repo.find(projectId, id);
    if (!key) throw AppError.notFound('API key');
    await this.repo.transaction(async (m, client) => {
      await this.repo.revoke(m, key.id);
      const meta = keyMeta({ ...key, revoked: true });
      await this.changeLog.appendAdmin(client, projectId, 'api_key.revoke', meta);
    });
    await this.cacheSync.changed('api_keys', projectId);
  }

  async delete(projectId: string, id: string): Promise<void> {
    const key = await this.repo.find(projectId, id);
    if (!key) throw AppError.notFound('API key');
    await this.repo.transaction(async (m, client) => {
      await this.repo.delete(m, key.id);
      await this.changeLog.appendAdmin(client, projectId, 'api_key.delete', keyMeta(key));
    });
    await this.cacheSync.changed('api_keys', projectId);
  }

  /** Resolves `X-API-Key` for a project's data routes; null for unknown, revoked, expired or foreign keys. */
  async authenticate(projectId: string, rawKey: string): Promise<ApiKeyIdentity | null> {
    if (!rawKey.startsWith(KEY_PREFIX) || rawKey.length > 200) return null;
    const hash = hashToken(rawKey);
    const now = Date.now();
    let entry = this.cache.get(hash);
    if (!entry || now - entry.at > CACHE_TTL_MS) {
      entry = { key: await this.repo.findByHash(hash), at: now };
      this.cache.set(hash, entry);
    }
    const key = entry.key;
    if (!key || key.revoked || key.projectId !== projectId) return null;
    if (key.expiresAt && key.expiresAt.getTime() <= now) return null;
    if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      key.lastUsedAt = new Date(now);
      // last_used_at is advisory; a lost update must never fail the request.
      void this.repo.touch(key.id, key.lastUsedAt).catch(() => undefined);
    }
    return { keyId: key.id, projectId: key.projectId, kind: key.kind };
  }
}
