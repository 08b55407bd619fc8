import { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { PostgreSQL, sql } from '@codemirror/lang-sql';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';

interface SqlEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** Ctrl/Cmd-Enter. */
  onRun: () => void;
  /** Tables and their columns, offered by completion. */
  schema: Record<string, string[]>;
  defaultSchema?: string;
}

/** CodeMirror 6 with PostgreSQL highlighting and the project's tables and columns for completion. */
export function SqlEditor({ value, onChange, onRun, schema, defaultSchema }: SqlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const language = useRef(new Compartment());
  const latest = useRef({ onChange, onRun });
  latest.current = { onChange, onRun };

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          keymap.of([
            {
              key: 'Mod-Enter',
              preventDefault: true,
              run: () => {
                latest.current.onRun();
                return true;
              },
            },
          ]),
          basicSetup,
          language.current.of(
            sql({ dialect: PostgreSQL, schema, defaultSchema, upperCaseKeywords: true }),
          ),
          EditorView.contentAttributes.of({ 'aria-label': 'SQL statement' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange(u.state.doc.toString());
          }),
          EditorView.theme({
            '&': { fontSize: '13px', minHeight: '160px' },
            '.cm-scroller': { fontFamily: 'var(--font-mono, ui-monospace, monospace)' },
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // The editor is made once; value, schema and callbacks reach it through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    view.current?.dispatch({
      effects: language.current.reconfigure(
        sql({ dialect: PostgreSQL, schema, defaultSchema, upperCaseKeywords: true }),
      ),
    });
  }, [schema, defaultSchema]);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return (
    <div
      ref={host}
      data-testid="sql-editor"
      className="overflow-hidden rounded-lg border border-border bg-background focus-within:ring-2 focus-within:ring-ring"
    />
  );
}
