import { createFileRoute } from '@tanstack/react-router';
import { ComingSoon } from '@/components/layout/coming-soon';

export const Route = createFileRoute('/_app/projects/$projectId/users')({
  component: () => <ComingSoon slug="users" />,
});
