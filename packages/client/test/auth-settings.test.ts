import { newClient, newProject, PASSWORD, rejection, uniqueEmail } from './helpers';

describe('admin auth settings and mailbox', () => {
  it('reads and changes the auth settings of a project', async () => {
    const { admin, projectId } = await newProject('Auth settings');
    const settings = admin.admin.authSettings(projectId);

    const before = await settings.get();
    expect(before).toMatchObject({ enable_email_password: true, allow_public_signup: true });
    expect(before.oauth_providers.github).toMatchObject({
      enabled: false,
      client_secret_set: false,
    });

    const after = await settings.update({ allow_public_signup: false, access_ttl_minutes: 30 });
    expect(after).toMatchObject({ allow_public_signup: false, access_ttl_minutes: 30 });
    expect(await settings.get()).toMatchObject({ allow_public_signup: false });
    const signup = await rejection(
      newClient()
        .project(projectId)
        .auth.register({ email: uniqueEmail('u'), password: PASSWORD }),
    );
    expect(signup).toMatchObject({ status: 403 });
  });

  it('answers a bad setting with its field', async () => {
    const { admin, projectId } = await newProject('Bad settings');

    const err = await rejection(
      admin.admin.authSettings(projectId).update({ access_ttl_minutes: -5 }),
    );

    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('keeps mail in the dev mailbox and clears it', async () => {
    const { admin, projectId } = await newProject('Mailbox');
    const mailbox = admin.admin.mailbox(projectId);
    const email = uniqueEmail('mail');
    await admin.admin.appUsers(projectId).create({ email, password: PASSWORD });

    await newClient().project(projectId).auth.requestPasswordReset({ email });

    // The reset mail is written off the response path (no account-existence timing oracle).
    let { messages } = await mailbox.list();
    for (let i = 0; i < 100 && messages.length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      ({ messages } = await mailbox.list());
    }
    expect(messages).toEqual([expect.objectContaining({ to: email, subject: expect.any(String) })]);
    await mailbox.clear();
    expect((await mailbox.list()).messages).toEqual([]);
  });
});
