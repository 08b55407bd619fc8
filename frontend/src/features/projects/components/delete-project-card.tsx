import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { useDeleteProject } from '../api/project-mutations';
import { useProject } from '../api/projects-query';

export function DeleteProjectCard({
  projectId,
  onDeleted,
}: {
  projectId: string;
  onDeleted: () => void;
}) {
  const { data: project } = useProject(projectId);
  const [open, setOpen] = useState(false);
  const isOwner = project.role === 'owner';

  return (
    <Card className="border-destructive/40">
      <CardHeader
        title={<span className="text-destructive">Danger zone</span>}
        description="Irreversible actions. Take care."
      />
      <CardContent className="flex flex-wrap items-center justify-between gap-4">
        <div className="max-w-lg space-y-1">
          <p className="text-sm font-medium">Delete this project</p>
          <p className="text-sm text-muted-foreground">
            Permanently removes the project, its tables and records, app users, API keys and files.
            {!isOwner && ' Only an owner can delete the project.'}
          </p>
        </div>
        <Button variant="destructive" onClick={() => setOpen(true)} disabled={!isOwner}>
          Delete project
        </Button>
      </CardContent>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Delete project"
        description="This cannot be undone."
      >
        <DeleteForm
          projectId={projectId}
          projectName={project.name}
          onCancel={() => setOpen(false)}
          onDeleted={onDeleted}
        />
      </Dialog>
    </Card>
  );
}

function DeleteForm({
  projectId,
  projectName,
  onCancel,
  onDeleted,
}: {
  projectId: string;
  projectName: string;
  onCancel: () => void;
  onDeleted: () => void;
}) {
  const [typed, setTyped] = useState('');
  const del = useDeleteProject(projectId);
  const matches = typed === projectName;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (matches) del.mutate(undefined, { onSuccess: onDeleted });
  }

  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-4">
      <Alert tone="danger" title="All data in this project will be lost">
        Collections, records, app users, API keys, files, webhooks and workflows are deleted.
      </Alert>
      <Field
        id="confirm-project-name"
        label={
          <>
            Type <span className="font-mono font-semibold">{projectName}</span> to confirm
          </>
        }
      >
        <Input
          id="confirm-project-name"
          autoComplete="off"
          autoFocus
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </Field>
      <DialogFooter>
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant="destructive" disabled={!matches} loading={del.isPending}>
          Delete this project
        </Button>
      </DialogFooter>
    </form>
  );
}
