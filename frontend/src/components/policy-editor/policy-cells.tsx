import { Badge } from '@/components/ui/badge';
import { TD } from '@/components/ui/table';

/** The name cell of a policy row: the name, "(inactive)", and the condition as one line of JSON. */
export function PolicyNameCell({
  name,
  condition,
  inactive = false,
}: {
  name: string;
  /** The condition as JSON text, or null for a policy that applies to every row. */
  condition: string | null;
  inactive?: boolean;
}) {
  return (
    <TD className="font-medium" title={condition ?? undefined}>
      {name}
      {inactive && <span className="ml-2 text-xs text-muted-foreground">(inactive)</span>}
      {condition !== null && (
        <code className="mt-0.5 block max-w-[18rem] truncate font-mono text-[11px] font-normal text-muted-foreground">
          {condition}
        </code>
      )}
    </TD>
  );
}

/** The action and effect cells of a policy row. */
export function PolicyActionEffectCells({ action, effect }: { action: string; effect: string }) {
  return (
    <>
      <TD>
        <Badge>{action}</Badge>
      </TD>
      <TD>
        <Badge tone={effect === 'allow' ? 'success' : 'danger'} dot>
          {effect}
        </Badge>
      </TD>
    </>
  );
}
