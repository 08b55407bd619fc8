import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject } from './factories/admin.factory';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('health and project create', async () => {
    expect((await t.request('GET', '/health')).body).toEqual({ ok: true });
    expect((await t.request('GET', '/ready')).status).toBe(200);
    const admin = await createAdmin(t);
    const p = await createProject(t, admin);
    expect(p.name).toBe('Test project');
  });
});
