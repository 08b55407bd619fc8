import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * change_events.project_id loses its foreign key: the key check took a KEY SHARE lock on the
 * project's row in every write transaction, so concurrent writers of one project kept creating
 * multixacts on that row. Deleting a project deletes its events itself (ProjectsRepository).
 */
export class ChangeEventsNoProjectFk1765000900000 implements MigrationInterface {
  name = 'ChangeEventsNoProjectFk1765000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DO $$
      DECLARE fk text;
      BEGIN
        FOR fk IN SELECT conname FROM pg_constraint
          WHERE conrelid = 'backendify.change_events'::regclass AND contype = 'f'
        LOOP
          EXECUTE format('ALTER TABLE backendify.change_events DROP CONSTRAINT %I', fk);
        END LOOP;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DELETE FROM backendify.change_events e
        WHERE NOT EXISTS (SELECT 1 FROM backendify.projects p WHERE p.id = e.project_id)`,
    );
    await q.query(`ALTER TABLE backendify.change_events
      ADD CONSTRAINT change_events_project_id_fkey FOREIGN KEY (project_id)
      REFERENCES backendify.projects(id) ON DELETE CASCADE`);
  }
}
