import {
  createContext,
  useContext,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type SyntheticEvent,
} from 'react';
import { flushSync } from 'react-dom';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { cn } from '@/lib/utils';
import { insertTemplate, openTemplate, type TemplateSuggestion } from '../templates';

const SuggestionsContext = createContext<TemplateSuggestion[]>([]);

/** The `{{path}}` suggestions of the step being edited. */
export const TemplateSuggestionsProvider = SuggestionsContext.Provider;

interface TemplateFieldProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  multiline?: boolean;
  rows?: number;
  placeholder?: string;
  className?: string;
  invalid?: boolean;
  disabled?: boolean;
}

const MAX_SHOWN = 12;

/** A text input (or textarea) that suggests `{{…}}` paths after `{{` is typed. */
export function TemplateField({
  id,
  value,
  onChange,
  multiline = false,
  rows = 4,
  placeholder,
  className,
  invalid,
  disabled,
}: TemplateFieldProps) {
  const suggestions = useContext(SuggestionsContext);
  const ref = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  const [open, setOpen] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const listId = useId();

  const query = open?.query.toLowerCase() ?? '';
  const matches = open
    ? [
        ...suggestions.filter((s) => s.path.toLowerCase().startsWith(query)),
        ...suggestions.filter(
          (s) => !s.path.toLowerCase().startsWith(query) && s.path.toLowerCase().includes(query),
        ),
      ].slice(0, MAX_SHOWN)
    : [];
  const shown = open !== null && matches.length > 0;

  const track = (el: HTMLInputElement | HTMLTextAreaElement) => {
    const next = openTemplate(el.value, el.selectionStart ?? el.value.length);
    setOpen(next);
    if (next?.query !== open?.query) setActive(0);
  };

  function pick(s: TemplateSuggestion) {
    const el = ref.current;
    if (!el || !open) return;
    const caret = el.selectionStart ?? value.length;
    const next = insertTemplate(value, open.start, caret, s.path);
    // Rendered now, so the caret can be placed in the new text before the next key press.
    flushSync(() => {
      onChange(next.text);
      setOpen(s.path.endsWith('.') ? openTemplate(next.text, next.caret) : null);
      setActive(0);
    });
    el.focus();
    el.setSelectionRange(next.caret, next.caret);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (!shown) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => (a + 1) % matches.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a - 1 + matches.length) % matches.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      const s = matches[active];
      if (s) {
        e.preventDefault();
        pick(s);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setOpen(null);
    }
  }

  const common = {
    id,
    value,
    placeholder,
    disabled,
    spellCheck: false,
    autoComplete: 'off',
    role: 'combobox',
    'aria-autocomplete': 'list' as const,
    'aria-expanded': shown,
    'aria-controls': listId,
    'aria-activedescendant': shown ? `${listId}-${active}` : undefined,
    'aria-invalid': invalid || undefined,
    onKeyDown,
    onBlur: () => setOpen(null),
    onSelect: (e: SyntheticEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      if (document.activeElement === e.currentTarget) track(e.currentTarget);
    },
  };

  return (
    <div className="relative min-w-0">
      {multiline ? (
        <Textarea
          {...common}
          ref={(el) => {
            ref.current = el;
          }}
          rows={rows}
          className={cn('font-mono text-xs', className)}
          onChange={(e) => {
            onChange(e.target.value);
            track(e.target);
          }}
        />
      ) : (
        <Input
          {...common}
          ref={(el) => {
            ref.current = el;
          }}
          className={cn('font-mono text-xs', className)}
          onChange={(e) => {
            onChange(e.target.value);
            track(e.target);
          }}
        />
      )}
      <ul
        id={listId}
        role="listbox"
        aria-label="Template suggestions"
        hidden={!shown}
        className="absolute inset-x-0 top-full z-30 mt-1 max-h-64 overflow-y-auto rounded-lg border border-border bg-popover p-1 shadow-lg"
      >
        {shown &&
          matches.map((s, i) => (
            <li
              key={s.path}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              // Keeps the focus (and the caret) in the field.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(s)}
              onMouseEnter={() => setActive(i)}
              className={cn(
                'flex cursor-pointer flex-wrap items-baseline justify-between gap-x-3 rounded-md px-2.5 py-1.5',
                i === active ? 'bg-muted' : '',
              )}
            >
              <code className="font-mono text-xs break-all">{`{{${s.path}}}`}</code>
              <span className="text-[11px] text-muted-foreground">{s.hint}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
