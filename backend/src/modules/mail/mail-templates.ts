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

/** The site a link belongs to (its origin), shown in the footer as a link of its own. */
const siteOf = (link: string | null): string | null => {
  if (!link) return null;
  try {
    return new URL(link).origin;
  } catch {
    return null;
  }
};

/**
 * A styled HTML body (inline styles, as mail clients want) with the link as a button, the same
 * link spelled out for clients that block buttons, and a footer naming the site it leads to.
 */
function layout(
  projectName: string,
  paragraphs: string[],
  link: string | null,
  action = 'Open',
): string {
  const p = 'margin:0 0 16px;font-size:15px;line-height:1.55;color:#1f2937';
  const body = paragraphs.map((t) => `<p style="${p}">${escapeHtml(t)}</p>`).join('\n');
  const href = link ? escapeHtml(link) : '';
  const button = link
    ? `<p style="margin:24px 0"><a href="${href}" style="display:inline-block;background:#4338ca;color:#ffffff;text-decoration:none;font-weight:600;font-size:15px;padding:12px 22px;border-radius:8px">${escapeHtml(action)}</a></p>
<p style="margin:0 0 16px;font-size:13px;line-height:1.5;color:#4b5563">Or paste this link into your browser:<br><a href="${href}" style="color:#4338ca;word-break:break-all">${href}</a></p>`
    : '';
  const site = siteOf(link);
  const footer = site
    ? `Sent by ${escapeHtml(projectName)} · <a href="${escapeHtml(site)}" style="color:#4b5563">${escapeHtml(site)}</a>`
    : `Sent by ${escapeHtml(projectName)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(projectName)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;padding:32px 12px"><tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border:1px solid #e5e7eb;border-radius:12px">
<tr><td style="padding:24px 28px 8px"><h1 style="margin:0;font-size:20px;line-height:1.3;color:#111827">${escapeHtml(projectName)}</h1></td></tr>
<tr><td style="padding:16px 28px 12px">
${body}
${button}
</td></tr>
<tr><td style="padding:16px 28px 24px;border-top:1px solid #e5e7eb;font-size:12px;line-height:1.5;color:#4b5563">${footer}</td></tr>
</table></td></tr></table>
</body></html>`;
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
    html: layout(projectName, lines, link, 'Confirm email address'),
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
    html: layout(projectName, lines, link, 'Reset password'),
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
    html: layout(projectName, lines, link, `Sign in to ${projectName}`),
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
    html: layout('Backendify', lines, link, 'Confirm email address'),
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
    html: layout('Backendify', lines, link, 'Join the project'),
  };
}
