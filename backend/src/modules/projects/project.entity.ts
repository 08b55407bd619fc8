import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity({ schema: 'backendify', name: 'projects' })
export class ProjectEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'schema_name' }) schemaName: string;
  @Column('jsonb', { name: 'rate_limits', default: {} }) rateLimits: Record<string, number | null>;
  @Column('text', { name: 'allowed_origins', array: true, nullable: true })
  allowedOrigins: string[] | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
