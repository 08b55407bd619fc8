import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import {
  categories,
  comments,
  errorText,
  posts,
  project,
  slugify,
  useMe,
  useSessionChanged,
} from './backend';

function ErrorLine({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {errorText(error)}
    </p>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const me = useMe();
  const changed = useSessionChanged();
  const navigate = useNavigate();
  return (
    <>
      <nav aria-label="Main">
        <Link to="/" className="brand">
          Blog
        </Link>
        <Link to="/categories">Categories</Link>
        {me && <Link to="/mine">My posts</Link>}
        {me && <Link to="/new">New post</Link>}
        <span className="spacer" />
        {me ? (
          <>
            <span className="muted" data-testid="me">
              {me.email}
            </span>
            <button
              className="secondary"
              onClick={async () => {
                await project.auth.logout().catch(() => undefined);
                await changed();
                await navigate({ to: '/' });
              }}
            >
              Sign out
            </button>
          </>
        ) : (
          <Link to="/login">Sign in</Link>
        )}
      </nav>
      <main>{children}</main>
    </>
  );
}

export function HomePage({ category }: { category?: number }) {
  const cats = useQuery({
    queryKey: ['categories'],
    queryFn: () => categories.list({ sort: ['name'] }),
  });
  const list = useQuery({
    queryKey: ['posts', 'published', category ?? null],
    queryFn: () =>
      posts.list({
        published__eq: true,
        ...(category ? { category_id__eq: category } : {}),
        sort: ['-created_at'],
        expand: ['category', 'cover'],
      }),
  });
  return (
    <>
      <h1>Latest posts</h1>
      <div className="chips" role="group" aria-label="Filter by category">
        <Link to="/" search={{}} className={category ? 'chip' : 'chip active'}>
          All
        </Link>
        {cats.data?.records.map((c) => (
          <Link
            key={c.id}
            to="/"
            search={{ category: c.id }}
            className={category === c.id ? 'chip active' : 'chip'}
          >
            {c.name}
          </Link>
        ))}
      </div>
      <ErrorLine error={list.error} />
      {list.data?.records.length === 0 && <p className="muted">No posts yet.</p>}
      <ul className="cards">
        {list.data?.records.map((p) => (
          <li key={p.id} className="card">
            {p.cover && <img src={project.files.url(p.cover.url)} alt="" width={120} height={80} />}
            <div>
              <h2>
                <Link to="/posts/$postId" params={{ postId: String(p.id) }}>
                  {p.title}
                </Link>
              </h2>
              <p className="muted">
                {p.category?.name ?? 'Uncategorised'} ·{' '}
                {new Date(p.created_at).toLocaleDateString()}
              </p>
              {p.excerpt && <p>{p.excerpt}</p>}
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

export function PostPage({ postId }: { postId: number }) {
  const me = useMe();
  const qc = useQueryClient();
  const post = useQuery({
    queryKey: ['post', postId],
    queryFn: () => posts.get(postId, { expand: ['category', 'cover'] }),
  });
  const list = useQuery({
    queryKey: ['comments', postId],
    queryFn: () => comments.list({ post_id__eq: postId, sort: ['created_at'] }),
  });
  // Live: comments others write appear here, and the count follows.
  useEffect(
    () =>
      project.realtime.subscribe('comments', {
        filter: { field: 'post_id', op: 'eq', value: postId },
        onEvent: () => void qc.invalidateQueries({ queryKey: ['comments', postId] }),
      }),
    [postId, qc],
  );
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: () => comments.create({ content: text.trim(), post: postId }),
    onSuccess: () => {
      setText('');
      return qc.invalidateQueries({ queryKey: ['comments', postId] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => comments.delete(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['comments', postId] }),
  });
  if (post.error) return <ErrorLine error={post.error} />;
  const p = post.data;
  if (!p) return <p className="muted">Loading…</p>;
  const mine = me && p.created_by_app_user_id === me.id;
  const count = list.data?.records.length ?? 0;
  return (
    <article>
      {p.cover && <img className="cover" src={project.files.url(p.cover.url)} alt={p.title} />}
      <h1>{p.title}</h1>
      <p className="muted">
        {p.category?.name ?? 'Uncategorised'}
        {!p.published && ' · draft'}
        {mine && (
          <>
            {' · '}
            <Link to="/posts/$postId/edit" params={{ postId: String(p.id) }}>
              Edit
            </Link>
          </>
        )}
      </p>
      <div className="content">{p.content}</div>
      <section aria-label="Comments">
        <h2 data-testid="comment-count">
          {count} {count === 1 ? 'comment' : 'comments'}
        </h2>
        <ul className="comments">
          {list.data?.records.map((c) => (
            <li key={c.id}>
              <span>{c.content}</span>
              {me && c.created_by_app_user_id === me.id && (
                <button
                  className="link danger"
                  aria-label={`Delete comment ${c.content}`}
                  onClick={() => remove.mutate(c.id)}
                >
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
        {me ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate();
            }}
          >
            <label htmlFor="comment">Add a comment</label>
            <textarea
              id="comment"
              value={text}
              onChange={(e) => setText(e.target.value)}
              required
            />
            <button type="submit" disabled={add.isPending}>
              Comment
            </button>
            <ErrorLine error={add.error ?? remove.error} />
          </form>
        ) : (
          <p className="muted">
            <Link to="/login">Sign in</Link> to comment.
          </p>
        )}
      </section>
    </article>
  );
}

export function PostEditor({ postId }: { postId?: number }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const cats = useQuery({
    queryKey: ['categories'],
    queryFn: () => categories.list({ sort: ['name'] }),
  });
  const existing = useQuery({
    queryKey: ['post', postId, 'edit'],
    queryFn: () => posts.get(postId as number),
    enabled: postId !== undefined,
  });
  const [form, setForm] = useState({
    title: '',
    slug: '',
    excerpt: '',
    content: '',
    category: '',
    published: false,
    cover: null as string | null,
  });
  const [slugTouched, setSlugTouched] = useState(false);
  const [uploading, setUploading] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);
  useEffect(() => {
    const p = existing.data;
    if (!p) return;
    setSlugTouched(true);
    setForm({
      title: p.title,
      slug: p.slug,
      excerpt: p.excerpt ?? '',
      content: p.content,
      category: p.category_id ? String(p.category_id) : '',
      published: p.published,
      cover: p.cover,
    });
  }, [existing.data]);
  const save = useMutation({
    mutationFn: async () => {
      const body = {
        title: form.title.trim(),
        slug: form.slug,
        excerpt: form.excerpt || null,
        content: form.content,
        category: form.category ? Number(form.category) : null,
        published: form.published,
        cover: form.cover,
      };
      return postId === undefined ? posts.create(body) : posts.update(postId, body);
    },
    onSuccess: async (p) => {
      await qc.invalidateQueries();
      await navigate({ to: '/posts/$postId', params: { postId: String(p.id) } });
    },
  });
  const remove = useMutation({
    mutationFn: () => posts.delete(postId as number),
    onSuccess: async () => {
      await qc.invalidateQueries();
      await navigate({ to: '/mine' });
    },
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} className="editor" aria-label={postId ? 'Edit post' : 'New post'}>
      <h1>{postId ? 'Edit post' : 'New post'}</h1>
      <label htmlFor="title">Title</label>
      <input
        id="title"
        value={form.title}
        required
        onChange={(e) =>
          set({ title: e.target.value, ...(slugTouched ? {} : { slug: slugify(e.target.value) }) })
        }
      />
      <label htmlFor="slug">Slug</label>
      <input
        id="slug"
        value={form.slug}
        required
        pattern="[a-z0-9-]+"
        onChange={(e) => {
          setSlugTouched(true);
          set({ slug: e.target.value });
        }}
      />
      <label htmlFor="category">Category</label>
      <select
        id="category"
        value={form.category}
        onChange={(e) => set({ category: e.target.value })}
      >
        <option value="">None</option>
        {cats.data?.records.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <label htmlFor="excerpt">Excerpt</label>
      <input id="excerpt" value={form.excerpt} onChange={(e) => set({ excerpt: e.target.value })} />
      <label htmlFor="content">Content</label>
      <textarea
        id="content"
        rows={8}
        value={form.content}
        required
        onChange={(e) => set({ content: e.target.value })}
      />
      <label htmlFor="cover">Cover image</label>
      <input
        id="cover"
        type="file"
        accept="image/*"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          setUploadError(null);
          setUploading(0);
          try {
            const stored = await project.files.uploadResumable(file, {
              bucket: 'covers',
              chunkSize: 1024 * 1024,
              onProgress: (sent, total) => setUploading(Math.round((100 * sent) / total)),
            });
            set({ cover: stored.id });
          } catch (err) {
            setUploadError(err);
          } finally {
            setUploading(null);
          }
        }}
      />
      {uploading !== null && (
        <progress max={100} value={uploading} aria-label="Cover upload">
          {uploading}%
        </progress>
      )}
      {form.cover && uploading === null && (
        <p className="muted" data-testid="cover-ready">
          Cover image attached.
        </p>
      )}
      <ErrorLine error={uploadError} />
      <label className="check">
        <input
          type="checkbox"
          checked={form.published}
          onChange={(e) => set({ published: e.target.checked })}
        />
        Published
      </label>
      <ErrorLine error={save.error ?? remove.error} />
      <div className="row">
        <button type="submit" disabled={save.isPending || uploading !== null}>
          {postId ? 'Save' : 'Create post'}
        </button>
        {postId !== undefined && (
          <button type="button" className="secondary danger" onClick={() => remove.mutate()}>
            Delete post
          </button>
        )}
      </div>
    </form>
  );
}

export function MyPostsPage() {
  const me = useMe();
  const list = useQuery({
    queryKey: ['posts', 'mine', me?.id],
    queryFn: () =>
      posts.list({
        created_by_app_user_id__eq: me!.id,
        sort: ['-created_at'],
        expand: ['category'],
      }),
    enabled: !!me,
  });
  if (me === null) return <p className="muted">Sign in to see your posts.</p>;
  return (
    <>
      <h1>My posts</h1>
      <ErrorLine error={list.error} />
      {list.data?.records.length === 0 && (
        <p className="muted">You have not written anything yet.</p>
      )}
      <ul className="plain">
        {list.data?.records.map((p) => (
          <li key={p.id}>
            <Link to="/posts/$postId" params={{ postId: String(p.id) }}>
              {p.title}
            </Link>{' '}
            <span className="muted">{p.published ? 'published' : 'draft'}</span>{' '}
            <Link to="/posts/$postId/edit" params={{ postId: String(p.id) }}>
              Edit
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

export function CategoriesPage() {
  const me = useMe();
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: ['categories'],
    queryFn: () => categories.list({ sort: ['name'] }),
  });
  const [name, setName] = useState('');
  const add = useMutation({
    mutationFn: () => categories.create({ name: name.trim(), slug: slugify(name) }),
    onSuccess: () => {
      setName('');
      return qc.invalidateQueries({ queryKey: ['categories'] });
    },
  });
  return (
    <>
      <h1>Categories</h1>
      <ul className="plain">
        {list.data?.records.map((c) => (
          <li key={c.id}>
            <Link to="/" search={{ category: c.id }}>
              {c.name}
            </Link>
          </li>
        ))}
      </ul>
      {me && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <input
            aria-label="New category"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
          />
          <button type="submit">Add category</button>
        </form>
      )}
      <ErrorLine error={add.error} />
    </>
  );
}

export function LoginPage() {
  const navigate = useNavigate();
  const changed = useSessionChanged();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [codeEmail, setCodeEmail] = useState('');
  const [code, setCode] = useState('');
  const [codeSent, setCodeSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const done = async () => {
    await changed();
    await navigate({ to: '/' });
  };
  const attempt = (fn: () => Promise<unknown>) => async () => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h1>Sign in</h1>
      <ErrorLine error={error} />
      <form
        aria-label="Sign in with a password"
        onSubmit={(e) => {
          e.preventDefault();
          void attempt(async () => {
            await project.auth.login({ email, password });
            await done();
          })();
        }}
      >
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <div className="row">
          <button type="submit">Sign in</button>
          <button
            type="button"
            className="secondary"
            onClick={attempt(async () => {
              const res = await project.auth.register({ email, password });
              if (!('access_token' in res))
                throw new Error('Check your mail to confirm the address.');
              await done();
            })}
          >
            Create account
          </button>
        </div>
      </form>
      <form
        aria-label="Sign in with an e-mailed code"
        onSubmit={(e) => {
          e.preventDefault();
          void attempt(async () => {
            if (!codeSent) {
              await project.auth.sendOtp({ email: codeEmail });
              setCodeSent(true);
            } else {
              await project.auth.verifyOtp({ email: codeEmail, code: code.trim() });
              await done();
            }
          })();
        }}
      >
        <h2>Or with a one-time code</h2>
        <label htmlFor="code-email">Email</label>
        <input
          id="code-email"
          type="email"
          value={codeEmail}
          onChange={(e) => setCodeEmail(e.target.value)}
          required
        />
        {codeSent && (
          <>
            <label htmlFor="code">Code from the e-mail</label>
            <input
              id="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              required
            />
          </>
        )}
        <button type="submit">{codeSent ? 'Sign in with the code' : 'Email me a code'}</button>
      </form>
    </>
  );
}
