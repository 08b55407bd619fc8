/** The admin behind a verified console token. */
export interface AdminPrincipal {
  kind: 'admin';
  userId: string;
}

export const ADMIN_AUDIENCE = 'backendify:admin';
export const projectAudience = (projectId: string) => `backendify:project:${projectId}`;

/** Claims of every Backendify JWT (DESIGN §8 Tokens). */
export interface TokenClaims {
  sub: string;
  typ: 'admin' | 'app_user';
  aud: string;
  iat: number;
  exp: number;
  jti: string;
}
