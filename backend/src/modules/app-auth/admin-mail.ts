/** The mails an admin can send one app user from the console (App Users page). */
export const ADMIN_MAIL_KINDS = ['password_reset', 'magic_link', 'verification'] as const;
export type AdminMailKind = (typeof ADMIN_MAIL_KINDS)[number];
export interface AdminMailSent {
  sent: AdminMailKind;
  to: string;
  message: string;
}
export const ADMIN_MAIL_LABELS: Record<AdminMailKind, string> = {
  password_reset: 'Password reset link',
  magic_link: 'Sign-in link',
  verification: 'Verification link',
};
