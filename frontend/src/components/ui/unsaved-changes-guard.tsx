import { useBlocker } from '@tanstack/react-router';
import { ConfirmDialog } from './confirm-dialog';

/**
 * Asks before leaving a page with unsaved edits: in-app navigation gets a dialog, closing or
 * reloading the tab the browser's own prompt.
 */
export function UnsavedChangesGuard({ when }: { when: boolean }) {
  const blocker = useBlocker({
    shouldBlockFn: () => when,
    enableBeforeUnload: () => when,
    withResolver: true,
  });
  return (
    <ConfirmDialog
      open={blocker.status === 'blocked'}
      onOpenChange={(open) => !open && blocker.status === 'blocked' && blocker.reset()}
      title="Discard unsaved changes?"
      description="Your changes on this page have not been saved. Leave and lose them?"
      confirmLabel="Discard changes"
      onConfirm={() => blocker.status === 'blocked' && blocker.proceed()}
    />
  );
}
