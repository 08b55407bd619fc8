import { cn } from '@/lib/utils';
import { CopyButton } from './copy-button';

interface CodeBlockProps {
  code: string;
  label?: string;
  className?: string;
}

export function CodeBlock({ code, label, className }: CodeBlockProps) {
  return (
    <div className={cn('overflow-hidden rounded-lg border border-border bg-muted/40', className)}>
      <div className="flex items-center justify-between border-b border-border px-3 py-1.5">
        <span className="text-xs font-medium text-muted-foreground">{label ?? 'Shell'}</span>
        <CopyButton value={code} variant="ghost" />
      </div>
      {/* Focusable so keyboard users can scroll a long line sideways (axe: scrollable-region). */}
      <pre
        tabIndex={0}
        aria-label={label ?? 'Shell'}
        className="overflow-x-auto p-3 font-mono text-xs leading-relaxed focus-visible:outline-2 focus-visible:outline-ring"
      >
        <code>{code}</code>
      </pre>
    </div>
  );
}
