import { Injectable } from '@nestjs/common';
import { AppAuthRepository } from './app-auth.repository';
import { AppTokenService } from './app-token.service';
import { AppUsersRepository, type AppUser, type Db } from './app-users.repository';

/** What a passwordless sign-in (OTP, magic link, OAuth) does when it first proves an address. */
@Injectable()
export class AddressProof {
  constructor(
    private readonly repo: AppAuthRepository,
    private readonly users: AppUsersRepository,
    private readonly tokens: AppTokenService,
  ) {}

  /**
   * Marks a never-verified account verified. Whoever set its password never proved the address
   * (pre-account takeover), so the password, every session and every mailed secret are dropped.
   */
  async claim(projectId: string, user: AppUser, tx: Db): Promise<AppUser> {
    if (user.isEmailVerified) return user;
    const claimed =
      (await this.users.update(
        projectId,
        user.id,
        { isEmailVerified: true, passwordHash: null },
        tx,
      )) ?? user;
    await this.tokens.revokeAll(projectId, user.id, null, tx);
    await this.repo.revokeEmailSecrets(tx, projectId, user.id, [user.email]);
    return claimed;
  }
}
