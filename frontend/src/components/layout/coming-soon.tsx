import { Check, Sparkles } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { findModule, type ModuleSlug } from '@/lib/modules';
import { PageHeader } from './page-header';

/** Placeholder for a project module that is not built yet. */
export function ComingSoon({ slug }: { slug: ModuleSlug }) {
  const mod = findModule(slug);
  const Icon = mod.icon;
  return (
    <>
      <PageHeader title={mod.label} description={mod.summary} />
      <Card className="overflow-hidden" data-testid="coming-soon">
        <div className="flex flex-col gap-6 p-6 sm:flex-row sm:items-start sm:p-8">
          <div className="flex size-12 shrink-0 items-center justify-center rounded-xl bg-accent text-accent-foreground">
            <Icon className="size-6" aria-hidden="true" />
          </div>
          <div className="min-w-0 flex-1 space-y-4">
            <div className="flex flex-wrap items-center gap-2">
              <h2 className="text-lg font-semibold">Coming soon</h2>
              <Badge tone="accent">
                <Sparkles className="size-3" aria-hidden="true" />
                In development
              </Badge>
            </div>
            <p className="text-sm text-muted-foreground">
              The {mod.label} module is being built. Here is what it will let you do:
            </p>
            <ul className="grid grid-cols-1 gap-2.5 text-sm">
              {mod.planned.map((item) => (
                <li key={item} className="flex gap-2.5">
                  <Check className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden="true" />
                  <span>{item}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      </Card>
    </>
  );
}
