import { useState } from 'react';
import { Check, Copy } from 'lucide-react';
import { Button, type ButtonSize, type ButtonVariant } from './button';

interface CopyButtonProps {
  value: string;
  label?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  className?: string;
}

function legacyCopy(value: string, anchor: HTMLElement | null): boolean {
  // Outside a modal <dialog> everything is inert, so the helper must live inside the dialog.
  const host = anchor?.closest('dialog') ?? document.body;
  const area = document.createElement('textarea');
  area.value = value;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  host.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  anchor?.focus();
  return ok;
}

export async function writeClipboard(value: string, anchor: HTMLElement | null): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(value);
      return true;
    } catch {
      // Permission denied or document not focused: try the legacy path below.
    }
  }
  // Plain-http self-hosted installs have no Clipboard API.
  return legacyCopy(value, anchor);
}

export function CopyButton({
  value,
  label = 'Copy',
  variant = 'outline',
  size = 'sm',
  className,
}: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant={variant}
      size={size}
      className={className}
      aria-label={size === 'icon' ? label : undefined}
      onClick={async (e) => {
        const ok = await writeClipboard(value, e.currentTarget);
        setCopied(ok);
        if (ok) window.setTimeout(() => setCopied(false), 1800);
      }}
    >
      {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
      {size !== 'icon' && (copied ? 'Copied' : label)}
      <span className="sr-only" aria-live="polite">
        {copied ? 'Copied to clipboard' : ''}
      </span>
    </Button>
  );
}
