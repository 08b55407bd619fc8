import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { X } from 'lucide-react';
import { cn } from '@/lib/utils';

/** What gets focus when a dialog opens: the first field of its body, else its first control. */
const FIRST_FIELD =
  '[data-autofocus], input:not([type="hidden"]):not([disabled]):not([readonly]), select:not([disabled]), textarea:not([disabled]):not([readonly])';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  /** `sheet` slides in from the left edge (mobile navigation). */
  variant?: 'center' | 'sheet';
  className?: string;
  hideTitle?: boolean;
}

/**
 * Modal built on the native <dialog>: the page behind is inert, Escape closes it, and Tab is
 * kept inside. Content mounts only while open so forms start fresh each time.
 */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  footer,
  variant = 'center',
  className,
  hideTitle = false,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const opener = document.activeElement as HTMLElement | null;
      dialog.showModal();
      // showModal focuses the first focusable element, the header's close button: start on the form.
      const body = dialog.querySelector<HTMLElement>('[data-dialog-body]');
      // Without a field, the footer's main (last) action, as a confirm dialog intends.
      const footerButtons = dialog.querySelectorAll<HTMLElement>('[data-dialog-footer] button');
      const first =
        body?.querySelector<HTMLElement>(FIRST_FIELD) ??
        body?.querySelector<HTMLElement>(FOCUSABLE) ??
        footerButtons[footerButtons.length - 1];
      first?.focus();
      return () => opener?.focus?.();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  function onKeyDown(e: KeyboardEvent<HTMLDialogElement>) {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(e) => {
        // A file input's `cancel` (picker dismissed, or the same file picked again) bubbles
        // here too: only the dialog's own (Escape) closes it.
        if (e.target !== e.currentTarget) return;
        e.preventDefault();
        onOpenChange(false);
      }}
      onClose={() => {
        if (open) onOpenChange(false);
      }}
      onMouseDown={(e) => {
        if (e.target === ref.current) onOpenChange(false);
      }}
      onKeyDown={onKeyDown}
      className={cn(
        'bg-card p-0 text-card-foreground shadow-2xl backdrop:bg-black/50 backdrop:backdrop-blur-[2px]',
        variant === 'center'
          ? cn(
              // An explicit max height (not the UA's percentage) so the body scrolls, not the dialog.
              'animate-dialog-in m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] max-w-lg overflow-hidden rounded-xl border border-border',
              // Phones: the whole screen, so no dialog opens half off it.
              'max-sm:m-0 max-sm:h-dvh max-sm:max-h-dvh max-sm:w-full max-sm:max-w-full max-sm:rounded-none max-sm:border-0',
            )
          : 'my-0 mr-auto ml-0 h-full max-h-full w-72 max-w-[85vw] border-r border-border',
        className,
      )}
    >
      {open && (
        <div
          className={cn(
            'flex flex-col',
            variant === 'center'
              ? 'max-h-[calc(100dvh-2rem)] max-sm:h-full max-sm:max-h-dvh'
              : 'h-full max-h-full',
          )}
        >
          <div
            className={cn(
              'flex items-start justify-between gap-4 px-5 pt-5 pb-3',
              hideTitle && 'sr-only',
            )}
          >
            <div className="space-y-1">
              <h2 id={titleId} className="text-base font-semibold">
                {title}
              </h2>
              {description && (
                <p id={descriptionId} className="text-sm text-muted-foreground">
                  {description}
                </p>
              )}
            </div>
            <button
              type="button"
              onClick={() => onOpenChange(false)}
              className="-mt-1 -mr-1 rounded-md p-1.5 text-muted-foreground hover:bg-muted hover:text-foreground"
              aria-label="Close dialog"
            >
              <X className="size-4" />
            </button>
          </div>
          {children && (
            <div data-dialog-body className="min-h-0 flex-1 overflow-y-auto px-5 pb-5">
              {children}
            </div>
          )}
          {footer && (
            <div
              data-dialog-footer
              className="flex flex-wrap justify-end gap-2 border-t border-border bg-muted/40 px-5 py-3"
            >
              {footer}
            </div>
          )}
        </div>
      )}
    </dialog>
  );
}

/**
 * A dialog's action row, placed inside its form: it sticks to the bottom of the scrolling body,
 * so the buttons stay in reach however long the form is (the `footer` prop does the same outside).
 */
export function DialogFooter({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div
      data-dialog-footer
      className={cn(
        'sticky bottom-0 z-10 -mx-5 -mb-5 flex flex-wrap justify-end gap-2 border-t border-border bg-card px-5 py-3',
        className,
      )}
    >
      {children}
    </div>
  );
}
