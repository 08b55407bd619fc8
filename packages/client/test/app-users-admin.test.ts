import { newAppUser, newClient, newProject, PASSWORD, rejection, uniqueEmail } from './helpers';

describe('admin app users', () => {
  it('creates, finds, updates and deletes an app user', async () => {
    const { admin, projectId } = await newProject('Users');
    const users = admin.admin.appUsers(projectId);
    const email = uniqueEmail('user');

    const created = await users.create({ email, password: PASSWORD, is_email_verified: true });
    expect(created).toMatchObject({ email, is_email_verified: true, is_disabled: false });
    const found = await users.list({ search: email.slice(0, 12), limit: 5 });
    expect(found).toMatchObject({ total: 1, limit: 5, offset: 0 });
    expect(found.users.map((u) => u.id)).toEqual([created.id]);
    expect(await users.get(created.id)).toMatchObject({ id: created.id, email });

    const disabled = await users.update(created.id, { is_disabled: true });
    expect(disabled.is_disabled).toBe(true);
    const login = await rejection(
      newClient().project(projectId).auth.login({ email, password: PASSWORD }),
    );
    expect(login).toMatchObject({ status: 403 });

    await users.delete(created.id);
    expect(await rejection(users.get(created.id))).toMatchObject({ status: 404 });
  });

  it('lists and revokes the sessions of an app user', async () => {
    const { admin, projectId } = await newProject('Sessions');
    const users = admin.admin.appUsers(projectId);
    const { client: user } = await newAppUser(projectId);
    const me = await user.project(projectId).auth.me();

    expect((await users.sessions(me.id)).sessions).toHaveLength(1);
    await users.revokeSessions(me.id);

    expect((await users.sessions(me.id)).sessions).toEqual([]);
    expect(await user.project(projectId).auth.refresh()).toBe(false);
  });

  it('mails an app user a verification link, and refuses one already verified', async () => {
    const { admin, projectId } = await newProject('Mails');
    const users = admin.admin.appUsers(projectId);
    const email = uniqueEmail('mailed');
    const created = await users.create({ email, password: PASSWORD });

    expect(await users.sendMail(created.id, 'verification')).toEqual({
      sent: 'verification',
      to: email,
      message: `Verification link sent to ${email}`,
    });
    const { messages } = await admin.admin.mailbox(projectId).list();
    expect(messages.map((m) => [m.to, m.kind])).toEqual([[email, 'verify_email']]);

    await users.update(created.id, { is_email_verified: true });
    expect(await rejection(users.sendMail(created.id, 'verification'))).toMatchObject({
      status: 400,
    });
  });
});
