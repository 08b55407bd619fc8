/** Plain-text and HTML bodies of the auth mails; every interpolated value is HTML-escaped. */

export type MailKind =
  | 'verify_email'
  | 'reset_password'
  | 'otp'
  | 'magic_link'
  | 'admin_verify_email'
  | 'project_invitation'
  | 'generic';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Header values must not carry line breaks (header injection through a project name). */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').slice(0, 200);

const withToken = (link: string | null, token: string) => {
  if (!link) return null;
  const url = new URL(link);
  url.searchParams.set('token', token);
  return url.toString();
};

function layout(projectName: string, paragraphs: string[], link: string | null): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const button = link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : '';
  return `<!doctype html><html><body><h2>${escapeHtml(projectName)}</h2>\n${body}\n${button}</body></html>`;
}

export function renderVerificationMail(
  projectName: string,
  token: string,
  linkBase: string | null,
): RenderedMail {
  const link = withToken(linkBase, token);
  const lines = [
    `Confirm your email address for ${projectName}.`,
    `Your verification token: ${token}`,
    'It expires in 24 hours. If you did not sign up, ignore this message.',
  ];
  return {
    subject: oneLine(`${projectName}: confirm your email address`),
    text: [...lines, link ? `Open: ${link}` : `token=${token}`].join('\n\n'),
    html: layout(projectName, lines, link),
  };
}

export function renderResetMail(
  projectName: string,
  token: string,
  linkBase: string | null,
): RenderedMail {
  const link = withToken(linkBase, token);
  const lines = [
    `Someone asked to reset the password of your ${projectName} account.`,
    `Your reset token: ${token}`,
    'It expires in 1 hour. If it was not you, ignore this message; your password is unchanged.',
  ];
  return {
    subject: oneLine(`${projectName}: reset your password`),
    text: [...lines, link ? `Open: ${link}` : `token=${token}`].join('\n\n'),
    html: layout(projectName, lines, link),
  };
}

/** A 6-digit code (when OTP is on) and/or a clickable magic link whose query carries `token=`. */
export function renderOtpMail(
  projectName: string,
  code: string | null,
  magicToken: string | null,
  linkBase: string | null,
): RenderedMail {
  const lines: string[] = [];
  if (code) lines.push(`Your ${projectName} sign-in code: ${code}`);
  let link: string | null = null;
  let magicLine: string | null = null;
  if (magicToken) {
    link = withToken(linkBase, magicToken);
    magicLine = link ? `Sign in with this link: ${link}` : `Sign in with token=${magicToken}`;
    lines.push(
      code ? `Or sign in with the link below.` : `Sign in to ${projectName} with the link below.`,
    );
  }
  lines.push('It expires in 10 minutes. If you did not ask for it, ignore this message.');
  return {
    subject: oneLine(`${projectName}: ${code ? 'your sign-in code' : 'your sign-in link'}`),
    text: [...lines.slice(0, -1), ...(magicLine ? [magicLine] : []), lines[lines.length - 1]].join(
      '\n\n',
    ),
    html: layout(projectName, lines, link),
  };
}

/** Platform links only ever point at the configured console origin (PUBLIC_URL). */
export function platformLink(publicUrl: string, path: string, token: string): string {
  const url = new URL(path, `${publicUrl}/`);
  url.searchParams.set('token', token);
  return url.toString();
}

export function renderAdminVerificationMail(link: string): RenderedMail {
  const lines = [
    'Confirm the e-mail address of your Backendify console account.',
    'The link expires in 24 hours. If you did not create an account, ignore this message.',
  ];
  return {
    subject: 'Backendify: confirm your e-mail address',
    text: [...lines, `Open: ${link}`].join('\n\n'),
    html: layout('Backendify', lines, link),
  };
}

export function renderInvitationMail(
  projectName: string,
  inviterEmail: string,
  role: string,
  link: string,
): RenderedMail {
  const lines = [
    `${inviterEmail} invited you to the Backendify project "${projectName}" as ${role}.`,
    'Sign in (or create a console account) with this address, then open the link to join.',
    'The invitation expires in 7 days. If you do not know the sender, ignore this message.',
  ];
  return {
    subject: oneLine(`Backendify: invitation to ${projectName}`),
    text: [...lines, `Open: ${link}`].join('\n\n'),
    html: layout('Backendify', lines, link),
  };
}
