import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import type { Project } from '../types';
import { useCreateProject } from '../api/project-mutations';

interface CreateProjectDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (project: Project) => void;
}

export function CreateProjectDialog({ open, onOpenChange, onCreated }: CreateProjectDialogProps) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Create project"
      description="A project gets its own PostgreSQL schema, API keys, users and rules."
    >
      <CreateProjectForm onCancel={() => onOpenChange(false)} onCreated={onCreated} />
    </Dialog>
  );
}

function CreateProjectForm({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (project: Project) => void;
}) {
  const [name, setName] = useState('');
  const create = useCreateProject();

  function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    create.mutate({ name: trimmed }, { onSuccess: onCreated });
  }

  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-5">
      <Field id="project-name" label="Project name" hint="You can rename it later.">
        <Input
          id="project-name"
          autoFocus
          required
          maxLength={100}
          placeholder="My blog"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <DialogFooter>
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
          Create project
        </Button>
      </DialogFooter>
    </form>
  );
}
