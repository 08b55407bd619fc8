import { BackendifyError, type CollectionApi } from '../src';
import { newAdmin, newClient, rejection } from './helpers';
import { serverUrl } from './setup/server';

interface Product {
  title: string;
  price: number;
}

const SKIP_REASON = process.env.BACKENDIFY_TEST_DATA_SKIP ?? '';

/** The client has no schema API yet, so the collection is made with plain HTTP. */
async function createProductsCollection(token: string, projectId: string): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${serverUrl()}/api/projects/${projectId}/schema/collections${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  };
  await post('', { name: 'products', display_name: 'Products' });
  await post('/products/fields', { name: 'title', display_name: 'Title', field_type: 'string' });
  await post('/products/fields', { name: 'price', display_name: 'Price', field_type: 'int' });
}

if (SKIP_REASON) {
  it.skip(`data API (skipped: ${SKIP_REASON})`, () => undefined);
} else {
  describe('data API', () => {
    let products: CollectionApi<Product>;

    beforeAll(async () => {
      const admin = await newAdmin();
      const project = await admin.client.admin.projects.create({ name: 'Data' });
      const session = await admin.client.admin.auth.getSession();
      await createProductsCollection(session!.access_token, project.id);
      const key = await admin.client.admin.apiKeys(project.id).create({ name: 'tests' });
      products = newClient({ apiKey: key.api_key })
        .project(project.id)
        .collection<Product>('products');
    });

    it('creates, reads, updates and deletes a record', async () => {
      const created = await products.create({ title: 'Lamp', price: 30 });
      expect(created).toMatchObject({ id: expect.anything(), title: 'Lamp', price: 30 });

      expect(await products.get(created.id)).toMatchObject({ title: 'Lamp' });
      expect(await products.update(created.id, { price: 35 })).toMatchObject({ price: 35 });

      await products.delete(created.id);
      expect(await rejection(products.get(created.id))).toMatchObject({ status: 404 });
    });

    it('lists with field__op filters, filter trees, sort, fields and cursors', async () => {
      const { created } = await products.bulk({
        create: [10, 20, 30, 40].map((price) => ({ title: `bulk-${price}`, price })),
      });
      expect(created).toHaveLength(4);

      const page = await products.list({
        title__startswith: 'bulk-',
        price__gte: 20,
        sort: ['-price'],
        fields: ['title', 'price'],
        limit: 2,
      });
      expect(page.records.map((r) => r.price)).toEqual([40, 30]);
      expect(page.total).toBe(3);
      expect(page.next_cursor).toEqual(expect.any(String));

      const next = await products.list({
        title__startswith: 'bulk-',
        price__gte: 20,
        sort: '-price',
        limit: 2,
        after: page.next_cursor!,
      });
      expect(next.records.map((r) => r.price)).toEqual([20]);
      expect(next.next_cursor).toBeNull();

      const tree = await products.list({
        filter: {
          and: [
            { field: 'title', op: 'startswith', value: 'bulk-' },
            {
              or: [
                { field: 'price', op: 'lt', value: 15 },
                { field: 'price', op: 'in', value: [40] },
              ],
            },
          ],
        },
        sort: 'price',
        count: false,
      });
      expect(tree.records.map((r) => r.price)).toEqual([10, 40]);
    });

    it('bulk-deletes and rejects a bad filter with a 400 BackendifyError', async () => {
      const { created } = await products.bulk({ create: [{ title: 'tmp', price: 1 }] });
      const result = await products.bulk({ delete: [created[0].id] });
      expect(result.deleted).toHaveLength(1);

      const err = await rejection(products.list({ nope__eq: 1 } as never));
      expect(err).toBeInstanceOf(BackendifyError);
      expect(err).toMatchObject({ status: 400 });
    });
  });
}
