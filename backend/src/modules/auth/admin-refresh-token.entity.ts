import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ schema: 'backendify', name: 'admin_refresh_tokens' })
export class AdminRefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('uuid', { name: 'family_id' }) familyId: string;
  @Column('text', { name: 'token_hash' }) tokenHash: string;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column('uuid', { name: 'replaced_by', nullable: true }) replacedBy: string | null;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent: string | null;
  @Column('text', { name: 'ip_address', nullable: true }) ipAddress: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
