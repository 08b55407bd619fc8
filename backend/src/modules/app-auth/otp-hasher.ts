import { Inject, Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/** Six-digit codes are guessable from a plain hash, so they are keyed (HMAC) and bound to project and email. */
@Injectable()
export class OtpHasher {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = Buffer.from(
      hkdfSync(
        'sha256',
        Buffer.from(config.jwtSecret, 'utf8'),
        Buffer.from('backendify:otp'),
        Buffer.from('otp-hmac:v1'),
        32,
      ),
    );
  }

  generateCode(): string {
    return String(randomInt(0, 1_000_000)).padStart(6, '0');
  }

  hash(projectId: string, email: string, code: string): string {
    return createHmac('sha256', this.key).update(`${projectId}\n${email}\n${code}`).digest('hex');
  }

  matches(expectedHash: string, projectId: string, email: string, code: string): boolean {
    const actual = Buffer.from(this.hash(projectId, email, code), 'hex');
    const expected = Buffer.from(expectedHash, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
