import { newAppUser, newProject, rejection } from './helpers';

describe('admin rbac', () => {
  it('initializes default roles once and manages custom roles', async () => {
    const { admin, projectId } = await newProject('Roles');
    const rbac = admin.admin.rbac(projectId);

    const first = await rbac.initialize();
    expect(first.roles_created).toBeGreaterThan(0);
    expect(await rbac.initialize()).toEqual({ roles_created: 0 });
    const defaults = await rbac.roles();
    expect(defaults.map((r) => r.name)).toEqual(expect.arrayContaining(['admin', 'member']));

    const editor = await rbac.createRole({ name: 'editor', display_name: 'Editor' });
    expect(editor).toMatchObject({ name: 'editor', display_name: 'Editor', is_default: false });
    expect(await rbac.getRole(editor.id)).toMatchObject({ id: editor.id, name: 'editor' });
    const updated = await rbac.updateRole(editor.id, { description: 'Writes posts' });
    expect(updated.description).toBe('Writes posts');

    await rbac.deleteRole(editor.id);
    expect(await rejection(rbac.getRole(editor.id))).toMatchObject({ status: 404 });
  });

  it('assigns and unassigns roles of an app user', async () => {
    const { admin, projectId } = await newProject('Assign');
    const rbac = admin.admin.rbac(projectId);
    const editor = await rbac.createRole({ name: 'editor' });
    const { client: user } = await newAppUser(projectId);
    const me = await user.project(projectId).auth.me();

    const assigned = await rbac.assignRoles(me.id, [editor.id]);
    expect(assigned.roles.map((r) => r.name)).toContain('editor');
    expect((await rbac.userRoles(me.id)).roles.map((r) => r.id)).toContain(editor.id);

    await rbac.unassignRole(me.id, editor.id);
    expect((await rbac.userRoles(me.id)).roles.map((r) => r.id)).not.toContain(editor.id);
  });

  it('rejects a role name the server cannot keep in a comma list', async () => {
    const { admin, projectId } = await newProject('Bad role');

    const err = await rejection(admin.admin.rbac(projectId).createRole({ name: 'a,b' }));

    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
