import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardFooter, CardHeader } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { useProject } from '../api/projects-query';
import { useUpdateProject } from '../api/project-mutations';

export function ProjectGeneralCard({ projectId }: { projectId: string }) {
  const { data: project } = useProject(projectId);
  const [name, setName] = useState(project.name);
  const update = useUpdateProject(projectId);
  const canEdit = project.role === 'owner' || project.role === 'admin';
  const dirty = name.trim() !== project.name && name.trim().length > 0;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (dirty) update.mutate({ name: name.trim() });
  }

  return (
    <Card>
      <form onSubmit={submit}>
        <CardHeader title="General" description="The name shown across the console." />
        <CardContent className="grid grid-cols-1 gap-4 sm:max-w-md">
          <Field
            id="settings-project-name"
            label="Project name"
            hint={canEdit ? undefined : 'Only owners and admins can rename the project.'}
          >
            <Input
              id="settings-project-name"
              value={name}
              required
              maxLength={100}
              disabled={!canEdit}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <Field id="settings-project-id" label="Project ID">
            <Input
              id="settings-project-id"
              value={project.id}
              readOnly
              className="font-mono text-xs"
            />
          </Field>
        </CardContent>
        <CardFooter>
          <Button type="submit" disabled={!dirty || !canEdit} loading={update.isPending}>
            Save changes
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
