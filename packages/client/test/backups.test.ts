import { newProject } from './helpers';

describe('backups', () => {
  it('downloads an archive, stores a backup, lists, schedules and deletes it', async () => {
    const { admin, projectId } = await newProject('Archived');
    const backups = admin.admin.backups(projectId);

    const archive = await backups.download();
    // A gzip stream starts with 1f 8b.
    expect([archive[0], archive[1]]).toEqual([0x1f, 0x8b]);

    const stored = await backups.create();
    expect(stored).toMatchObject({ project_id: projectId, trigger: 'manual', target: 'local' });
    expect((await backups.list()).map((b) => b.id)).toContain(stored.id);
    const bytes = await backups.downloadStored(stored.id);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);

    const schedule = await backups.setSchedule({
      enabled: true,
      cron: 'daily',
      keep_last: 3,
      target: 'local',
    });
    // A preset is kept as its cron expression.
    expect(schedule).toMatchObject({ enabled: true, cron: '0 3 * * *', keep_last: 3 });
    expect(await backups.schedule()).toMatchObject({ enabled: true, keep_last: 3 });

    await backups.delete(stored.id);
    expect(await backups.list()).toEqual([]);
  });
});
