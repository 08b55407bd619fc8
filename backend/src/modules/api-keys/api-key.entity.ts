import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** `service`: server-to-server, past row policies and field lists; `public`: under policies. */
export const API_KEY_KINDS = ['service', 'public'] as const;
export type ApiKeyKind = (typeof API_KEY_KINDS)[number];

@Entity({ schema: 'backendify', name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') name: string;
  @Column('text') prefix: string;
  @Column('text') kind: ApiKeyKind;
  @Column('text', { name: 'key_hash' }) keyHash: string;
  @Column('boolean') revoked: boolean;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
  @Column('uuid', { name: 'created_by_user_id', nullable: true }) createdByUserId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
