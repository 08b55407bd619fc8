import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workflows and functions (DESIGN §4, §5): definitions (the original's columns plus the schedule
 * state and the function slug), runs with their step rows (each step is one job; its row's status
 * is the guard that keeps a finished step from running again), and write-only project secrets.
 * Workflows write records as themselves, so the change log gains the `workflow` actor.
 */
export class Workflows1765000000000 implements MigrationInterface {
  name = 'Workflows1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.workflows (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      name varchar(127) NOT NULL,
      description text,
      trigger_type varchar(64) NOT NULL CHECK (trigger_type IN
        ('record.created','record.updated','record.deleted','manual','schedule','http')),
      trigger_config jsonb NOT NULL DEFAULT '{}',
      steps jsonb NOT NULL DEFAULT '[]',
      is_active boolean NOT NULL DEFAULT true,
      collection_id uuid,
      slug varchar(63),
      next_run_at timestamptz,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_workflows_project ON backendify.workflows (project_id)`);
    await q.query(
      `CREATE UNIQUE INDEX uq_workflows_slug ON backendify.workflows (project_id, slug) WHERE slug IS NOT NULL`,
    );
    // The schedule tick's look for due workflows.
    await q.query(
      `CREATE INDEX ix_workflows_due ON backendify.workflows (next_run_at) WHERE next_run_at IS NOT NULL`,
    );
    await q.query(`CREATE TABLE backendify.workflow_runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      workflow_id uuid NOT NULL REFERENCES backendify.workflows(id) ON DELETE CASCADE,
      project_id uuid NOT NULL,
      status varchar(16) NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued','running','waiting','completed','failed','cancelled')),
      trigger_type varchar(64) NOT NULL,
      trigger jsonb,
      input jsonb,
      output jsonb,
      error text,
      depth integer NOT NULL DEFAULT 0,
      event_id bigint,
      definition jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_workflow_runs_workflow ON backendify.workflow_runs (workflow_id, created_at DESC, id DESC)`,
    );
    // One run per (workflow, change event), whichever process consumed the event.
    await q.query(
      `CREATE UNIQUE INDEX uq_workflow_runs_event ON backendify.workflow_runs (workflow_id, event_id) WHERE event_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ix_workflow_runs_finished ON backendify.workflow_runs (finished_at) WHERE finished_at IS NOT NULL`,
    );
    await q.query(`CREATE TABLE backendify.workflow_steps (
      run_id uuid NOT NULL REFERENCES backendify.workflow_runs(id) ON DELETE CASCADE,
      step_index integer NOT NULL,
      name text,
      action varchar(32) NOT NULL,
      status varchar(16) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending','running','waiting','completed','failed','skipped','cancelled')),
      input jsonb,
      output jsonb,
      error text,
      attempts integer NOT NULL DEFAULT 0,
      due_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      PRIMARY KEY (run_id, step_index)
    )`);
    // The sweeper's look for queued, leased or waiting steps whose job died with a process.
    await q.query(
      `CREATE INDEX ix_workflow_steps_open ON backendify.workflow_steps (due_at) WHERE status IN ('pending','running','waiting') AND due_at IS NOT NULL`,
    );
    await q.query(`CREATE TABLE backendify.workflow_secrets (
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      name varchar(64) NOT NULL,
      value_sealed text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (project_id, name)
    )`);
    await q.query(`ALTER TABLE backendify.change_events
      DROP CONSTRAINT change_events_actor_type_check,
      ADD CONSTRAINT change_events_actor_type_check
        CHECK (actor_type IN ('admin','app_user','api_key','anonymous','system','workflow')) NOT VALID`);
    await q.query(
      `ALTER TABLE backendify.change_events VALIDATE CONSTRAINT change_events_actor_type_check`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM backendify.change_events WHERE actor_type = 'workflow'`);
    await q.query(`ALTER TABLE backendify.change_events
      DROP CONSTRAINT change_events_actor_type_check,
      ADD CONSTRAINT change_events_actor_type_check
        CHECK (actor_type IN ('admin','app_user','api_key','anonymous','system'))`);
    await q.query(`DROP TABLE IF EXISTS backendify.workflow_secrets`);
    await q.query(`DROP TABLE IF EXISTS backendify.workflow_steps`);
    await q.query(`DROP TABLE IF EXISTS backendify.workflow_runs`);
    await q.query(`DROP TABLE IF EXISTS backendify.workflows`);
  }
}
