import { MailCheck } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { useResendVerification } from '../api/email-verification';

/** Mails the signed-in admin a fresh verification link. */
export function ResendVerificationButton() {
  const resend = useResendVerification();
  return (
    <Button variant="outline" size="sm" loading={resend.isPending} onClick={() => resend.mutate()}>
      <MailCheck aria-hidden="true" />
      Resend verification e-mail
    </Button>
  );
}
