import { newAdmin, rejection } from './helpers';

describe('projects', () => {
  it('creates, lists, gets, renames and deletes a project', async () => {
    const { client } = await newAdmin();
    const { projects } = client.admin;

    const created = await projects.create({ name: 'Shop' });
    expect(created).toMatchObject({ id: expect.any(String), name: 'Shop', role: 'owner' });
    expect((await projects.list()).map((p) => p.id)).toContain(created.id);
    expect(await projects.get(created.id)).toMatchObject({ id: created.id, name: 'Shop' });

    const renamed = await projects.update(created.id, { name: 'Store' });
    expect(renamed.name).toBe('Store');

    await projects.delete(created.id);
    const err = await rejection(projects.get(created.id));
    expect(err).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('adds, changes and removes members', async () => {
    const owner = await newAdmin();
    const other = await newAdmin();
    const project = await owner.client.admin.projects.create({ name: 'Team' });
    const { members } = owner.client.admin.projects;

    const result = await members.add(project.id, { email: other.email, role: 'developer' });
    if ('invited' in result) throw new Error('a verified admin is added, not invited');
    const added = result;
    expect(added).toMatchObject({ email: other.email, role: 'developer' });
    expect((await members.list(project.id)).map((m) => m.email).sort()).toEqual(
      [owner.email, other.email].sort(),
    );
    expect((await other.client.admin.projects.get(project.id)).role).toBe('developer');

    const updated = await members.update(project.id, added.user_id, { role: 'admin' });
    expect(updated.role).toBe('admin');

    await members.remove(project.id, added.user_id);
    const err = await rejection(other.client.admin.projects.get(project.id));
    expect(err).toMatchObject({ status: 404 });
  });

  it('invites an address without a verified account; the invitee accepts the mailed link', async () => {
    const owner = await newAdmin();
    const project = await owner.client.admin.projects.create({ name: 'Invites' });
    const { members } = owner.client.admin.projects;
    const invitee = await newAdmin({ verified: false });
    const invited = await members.add(project.id, { email: invitee.email, role: 'viewer' });
    expect(invited).toMatchObject({ invited: true, email: invitee.email, role: 'viewer' });
    const [pending] = await members.invitations(project.id);
    expect(pending).toMatchObject({ email: invitee.email, role: 'viewer' });
    expect(await members.resendInvitation(project.id, pending.id)).toMatchObject({
      id: pending.id,
    });
    await members.revokeInvitation(project.id, pending.id);
    expect(await members.invitations(project.id)).toEqual([]);
    const err = await rejection(invitee.client.admin.auth.acceptInvitation('not-a-real-token'));
    expect(err).toMatchObject({ status: 400 });
    expect((await invitee.client.admin.auth.me()).is_email_verified).toBe(false);
  });

  it('hides a project from a non-member exactly like a missing one', async () => {
    const owner = await newAdmin();
    const stranger = await newAdmin();
    const project = await owner.client.admin.projects.create({ name: 'Private' });

    const err = await rejection(stranger.client.admin.projects.get(project.id));

    expect(err).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('api keys', () => {
  it('creates, lists, revokes and deletes keys', async () => {
    const { client } = await newAdmin();
    const project = await client.admin.projects.create({ name: 'Keys' });
    const sut = client.admin.apiKeys(project.id);

    const created = await sut.create({ name: 'Mobile app' });
    expect(created).toMatchObject({
      name: 'Mobile app',
      revoked: false,
      api_key: expect.any(String),
    });
    expect(created.api_key.startsWith(created.prefix)).toBe(true);

    const listed = await sut.list();
    expect(listed).toEqual([expect.objectContaining({ id: created.id, revoked: false })]);
    expect(listed[0]).not.toHaveProperty('api_key');

    await sut.revoke(created.id);
    expect((await sut.list())[0]).toMatchObject({ id: created.id, revoked: true });

    await sut.delete(created.id);
    expect(await sut.list()).toEqual([]);
  });
});
