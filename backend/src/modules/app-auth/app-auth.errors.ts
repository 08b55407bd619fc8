import { AppError } from '../../common/errors/app-error';

/** The original's messages, kept so its clients keep working. */
export const AppAuthErrors = {
  emailPasswordDisabled: () =>
    AppError.badRequest('Email/password authentication is not enabled for this project'),
  signupClosed: () => AppError.forbidden('Public signup is not allowed for this project'),
  emailTaken: () => AppError.conflict('User with this email already exists'),
  invalidCredentials: () => AppError.unauthenticated('Invalid credentials'),
  disabled: () => AppError.forbidden('User account is disabled'),
  verificationRequired: () => AppError.forbidden('Email verification required'),
  invalidRefresh: () => AppError.unauthenticated('Invalid refresh token'),
  refreshExpired: () => AppError.unauthenticated('Refresh token expired'),
  invalidToken: () => AppError.unauthenticated('Invalid token'),
  notAuthenticated: () => AppError.unauthenticated('Not authenticated'),
  lockedOut: (retryAfterSeconds: number) =>
    new AppError(
      'LOCKED_OUT',
      `Too many failed login attempts. Try again in ${retryAfterSeconds} seconds.`,
      undefined,
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  noPassword: () => AppError.badRequest('User does not have a password set'),
  wrongCurrentPassword: () => AppError.unauthenticated('Current password is incorrect'),
  alreadyVerified: () => AppError.badRequest('Email already verified'),
  badVerifyToken: () => AppError.badRequest('Invalid or expired verification token'),
  verifyTokenExpired: () => AppError.badRequest('Verification token has expired'),
  badResetToken: () => AppError.badRequest('Invalid or expired reset token'),
  resetTokenExpired: () => AppError.badRequest('Reset token has expired'),
  otpDisabled: () =>
    AppError.badRequest('OTP/Magic link authentication is not enabled for this project'),
  magicLinkDisabled: () =>
    AppError.badRequest('Magic link sign-in is not enabled for this project'),
  otpNone: () => AppError.badRequest('Invalid or expired OTP code'),
  otpTooMany: () => AppError.badRequest('Too many attempts. Please request a new code.'),
  otpExpired: () => AppError.badRequest('OTP code has expired'),
  otpWrong: () => AppError.badRequest('Invalid OTP code'),
  otpInput: () => AppError.validation('Send either {email, code} or {token}'),
  userNotFound: () => AppError.notFound('App user'),
  sessionNotFound: () => AppError.notFound('Session'),
  unknownProvider: (p: string) => AppError.badRequest(`Unknown OAuth provider: ${p.slice(0, 40)}`),
  providerDisabled: (p: string) =>
    AppError.badRequest(`${p} OAuth is not enabled for this project`),
  redirectNotAllowed: () =>
    AppError.badRequest('redirect_uri is not one of the allowed redirect URIs of this project'),
  badState: () => AppError.badRequest('Invalid or expired OAuth state'),
  providerFailed: () => AppError.badRequest('The OAuth provider rejected the authorization code'),
  providerUnsafe: () =>
    AppError.badRequest(
      'The OIDC issuer or an endpoint it names is a loopback, private or otherwise internal address',
    ),
  providerEmailUnverified: () =>
    AppError.forbidden('The OAuth provider did not confirm a verified email address'),
};
