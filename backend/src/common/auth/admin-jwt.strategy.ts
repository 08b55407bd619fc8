import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ADMIN_AUDIENCE, type AdminPrincipal, type TokenClaims } from './principal';

/** Verifies signature, expiry, audience and `typ` before any claim is used. */
@Injectable()
export class AdminJwtStrategy extends PassportStrategy(Strategy, 'admin-jwt') {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      audience: ADMIN_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  validate(claims: TokenClaims): AdminPrincipal | false {
    if (claims.typ !== 'admin' || typeof claims.sub !== 'string') return false;
    return { kind: 'admin', userId: claims.sub };
  }
}
