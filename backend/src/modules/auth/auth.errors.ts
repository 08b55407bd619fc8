import { AppError } from '../../common/errors/app-error';

export const AuthErrors = {
  userExists: () => AppError.conflict('User already exists'),
  invalidCredentials: () => AppError.unauthenticated('Invalid credentials'),
  badVerifyToken: () => AppError.badRequest('Invalid or expired verification token'),
  verifyTokenExpired: () => AppError.badRequest('Verification token has expired'),
  invalidRefresh: (detail: string) => AppError.unauthenticated(detail),
  alreadyVerified: () => AppError.badRequest('Email already verified'),
  /** Mail to other people (invitations) needs a sender whose own address is proven. */
  senderUnverified: () =>
    new AppError(
      'EMAIL_NOT_VERIFIED',
      'Verify your e-mail address before inviting others: open the link we mailed you, or resend it from your account menu.',
    ),
};
