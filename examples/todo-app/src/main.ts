import { BackendifyError, createClient, webStorage, type Row } from '@backendify/client';
import type { Database, Todos } from './backendify';

// Where the API and project are: the build's env (.env.local from the seed), or `?api=&project=`
// in the address (handy to point one build at another server).
const query = new URLSearchParams(location.search);
const API = query.get('api') ?? import.meta.env.VITE_API_URL ?? 'http://127.0.0.1:3000';
const PROJECT = query.get('project') ?? import.meta.env.VITE_PROJECT_ID ?? '';

const client = createClient<Database>({
  url: API,
  storage: webStorage(localStorage, 'todo.session'),
});
const project = client.project(PROJECT);
const todos = project.collection('todos');

type Todo = Row<Todos>;
const app = document.querySelector<HTMLElement>('#app')!;
let items: Todo[] = [];
let unsubscribe: (() => void) | null = null;
/** Redraws the list from `items` (set while the list is shown). */
let render = (): void => undefined;

/** `h('button', {class: 'x', onclick}, 'text')`: text goes in as text, never as HTML. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, unknown>> = {},
  ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v as EventListener);
    else if (k in el && typeof v !== 'string') (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null) el.append(c);
  return el;
}

function message(err: unknown): string {
  if (err instanceof BackendifyError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

function errorBox(): HTMLParagraphElement {
  return h('p', { class: 'error', role: 'alert', hidden: true });
}

function showError(box: HTMLElement, err: unknown): void {
  box.textContent = message(err);
  box.hidden = false;
}

async function start(): Promise<void> {
  if (!PROJECT) {
    app.replaceChildren(
      h('h1', {}, 'Todos'),
      h(
        'p',
        { class: 'error' },
        'No project: run `pnpm --filter todo-app seed` (writes .env.local).',
      ),
    );
    return;
  }
  const session = await project.auth.getSession();
  if (session) {
    try {
      const me = await project.auth.me();
      return showTodos(me.email);
    } catch {
      await project.auth.setSession(null);
    }
  }
  showSignIn();
}

function showSignIn(): void {
  unsubscribe?.();
  unsubscribe = null;
  const error = errorBox();
  const email = h('input', {
    type: 'email',
    name: 'email',
    required: true,
    autocomplete: 'email',
    id: 'email',
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    required: true,
    minLength: 8,
    autocomplete: 'current-password',
    id: 'password',
  });
  const withPassword = async (mode: 'login' | 'register') => {
    error.hidden = true;
    try {
      const credentials = { email: email.value, password: password.value };
      if (mode === 'register') {
        const res = await project.auth.register(credentials);
        if (!('access_token' in res))
          throw new Error('Check your mail to confirm the address, then sign in.');
      } else await project.auth.login(credentials);
      await showTodos(email.value);
    } catch (err) {
      showError(error, err);
    }
  };
  const passwordForm = h(
    'form',
    {
      'aria-label': 'Sign in with a password',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void withPassword('login');
      },
    },
    h('label', { for: 'email' }, 'Email'),
    email,
    h('label', { for: 'password' }, 'Password'),
    password,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'submit' }, 'Sign in'),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () =>
            passwordForm.reportValidity() ? void withPassword('register') : undefined,
        },
        'Create account',
      ),
    ),
  );

  const codeEmail = h('input', {
    type: 'email',
    required: true,
    id: 'code-email',
    autocomplete: 'email',
  });
  const code = h('input', {
    inputMode: 'numeric',
    id: 'code',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{6}',
  });
  const codeRow = h(
    'div',
    { hidden: true },
    h('label', { for: 'code' }, 'Code from the e-mail'),
    code,
  );
  const codeButton = h('button', { type: 'submit' }, 'Email me a code');
  const codeForm = h(
    'form',
    {
      'aria-label': 'Sign in with an e-mailed code',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        error.hidden = true;
        try {
          if (codeRow.hidden) {
            await project.auth.sendOtp({ email: codeEmail.value });
            codeRow.hidden = false;
            codeButton.textContent = 'Sign in with the code';
            code.focus();
          } else {
            await project.auth.verifyOtp({ email: codeEmail.value, code: code.value.trim() });
            await showTodos(codeEmail.value);
          }
        } catch (err) {
          showError(error, err);
        }
      },
    },
    h('label', { for: 'code-email' }, 'Email'),
    codeEmail,
    codeRow,
    codeButton,
  );

  app.replaceChildren(
    h('h1', {}, 'Todos'),
    h('p', { class: 'muted' }, 'Sign in to see your own list: nobody else can read it.'),
    error,
    h('section', {}, h('h2', {}, 'With a password'), passwordForm),
    h('section', {}, h('h2', {}, 'With a one-time code'), codeForm),
  );
  email.focus();
}

async function showTodos(email: string): Promise<void> {
  const error = errorBox();
  const list = h('ul', { class: 'todos', 'aria-label': 'Todos' });
  const counter = h('p', { class: 'muted', 'data-testid': 'counter' });
  const title = h('input', {
    'aria-label': 'New todo',
    placeholder: 'What needs doing?',
    required: true,
    maxLength: 500,
  });
  render = () => {
    list.replaceChildren(...items.map((t) => item(t, error)));
    const left = items.filter((t) => !t.completed).length;
    counter.textContent = items.length ? `${left} of ${items.length} left` : 'Nothing to do yet.';
  };
  const reload = async () => {
    try {
      items = (await todos.list({ sort: ['created_at'], limit: 1000 })).records;
      render();
    } catch (err) {
      showError(error, err);
    }
  };
  app.replaceChildren(
    h(
      'header',
      {},
      h('h1', {}, 'Todos'),
      h('span', { class: 'muted', 'data-testid': 'who' }, email),
      h(
        'button',
        {
          class: 'secondary',
          onclick: async () => {
            await project.auth.logout().catch(() => undefined);
            showSignIn();
          },
        },
        'Sign out',
      ),
    ),
    error,
    h(
      'form',
      {
        class: 'row',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          error.hidden = true;
          try {
            const created = await todos.create({ title: title.value.trim() });
            if (!items.some((t) => t.id === created.id)) items.push(created);
            title.value = '';
            render();
          } catch (err) {
            showError(error, err);
          }
        },
      },
      title,
      h('button', { type: 'submit' }, 'Add'),
    ),
    list,
    counter,
  );
  await reload();
  title.focus();

  // Live: other tabs and devices of the same user. The server sends only rows this user may read.
  unsubscribe?.();
  unsubscribe = project.realtime.subscribe('todos', {
    onReady: () => void reload(),
    onEvent: (e) => {
      const at = items.findIndex((t) => t.id === e.record.id);
      if (e.type === 'record.deleted' || e.reason === 'left_view') {
        if (at >= 0) items.splice(at, 1);
      } else if (at >= 0) items[at] = e.record;
      else items.push(e.record);
      render();
    },
    onError: (err) => showError(error, err.detail),
  });
}

function item(t: Todo, error: HTMLElement): HTMLLIElement {
  const label = h('span', { class: t.completed ? 'title done' : 'title' }, t.title);
  const edit = async () => {
    const input = h('input', {
      value: t.title,
      'aria-label': `New title for ${t.title}`,
      maxLength: 500,
    });
    const save = async () => {
      const next = input.value.trim();
      if (!next || next === t.title) return void input.replaceWith(label);
      try {
        Object.assign(t, await todos.update(t.id, { title: next }));
        label.textContent = t.title;
      } catch (err) {
        showError(error, err);
      }
      input.replaceWith(label);
    };
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') void save();
      if (ev.key === 'Escape') input.replaceWith(label);
    });
    input.addEventListener('blur', () => void save());
    label.replaceWith(input);
    input.focus();
  };
  return h(
    'li',
    { 'data-id': String(t.id) },
    h('input', {
      type: 'checkbox',
      checked: t.completed,
      'aria-label': `Done: ${t.title}`,
      onchange: async (ev: Event) => {
        try {
          Object.assign(
            t,
            await todos.update(t.id, { completed: (ev.target as HTMLInputElement).checked }),
          );
          render();
        } catch (err) {
          showError(error, err);
        }
      },
    }),
    label,
    h('button', { class: 'link', 'aria-label': `Edit ${t.title}`, onclick: edit }, 'Edit'),
    h(
      'button',
      {
        class: 'link danger',
        'aria-label': `Delete ${t.title}`,
        onclick: async () => {
          try {
            await todos.delete(t.id);
            items = items.filter((x) => x.id !== t.id);
            render();
          } catch (err) {
            showError(error, err);
          }
        },
      },
      'Delete',
    ),
  );
}

void start();
