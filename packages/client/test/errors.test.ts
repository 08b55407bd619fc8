import { BackendifyError, createClient } from '../src';
import { newAdmin, newClient, PASSWORD, rejection } from './helpers';

describe('BackendifyError', () => {
  it('carries status, code and detail of a 409', async () => {
    const { email } = await newAdmin();

    const err = await rejection(newClient().admin.auth.register({ email, password: PASSWORD }));

    expect(err).toBeInstanceOf(BackendifyError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ status: 409, code: 'CONFLICT', detail: 'User already exists' });
    expect((err as BackendifyError).message).toBe('User already exists');
  });

  it('lists field errors of a 400', async () => {
    const err = (await rejection(
      newClient().admin.auth.register({ email: 'not-an-email', password: 'short' }),
    )) as BackendifyError;

    expect(err.status).toBe(400);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.detail).toEqual(expect.any(String));
    expect(err.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'email', message: expect.any(String) }),
        expect.objectContaining({ field: 'password', message: expect.any(String) }),
      ]),
    );
  });

  it('reports a 400 from a member-role check with its errors', async () => {
    const { client } = await newAdmin();
    const project = await client.admin.projects.create({ name: 'Roles' });

    const err = (await rejection(
      client.admin.projects.members.add(project.id, {
        email: 'someone@example.com',
        role: 'emperor' as 'admin',
      }),
    )) as BackendifyError;

    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(err.errors.map((e) => e.field)).toContain('role');
  });

  it('turns a network failure into status 0', async () => {
    const sut = createClient({ url: 'http://127.0.0.1:9' });

    const err = await rejection(sut.admin.projects.list());

    expect(err).toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });
});
