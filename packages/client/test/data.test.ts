import { BackendifyError, type CollectionApi } from '../src';
import { newClient, newProject, rejection } from './helpers';

interface Product {
  title: string;
  price: number;
}

describe('data API', () => {
  let products: CollectionApi<Product>;
  let archive: CollectionApi<Product>;

  beforeAll(async () => {
    const { admin, projectId } = await newProject('Data');
    const schema = admin.admin.schema(projectId);
    for (const name of ['products', 'archive']) {
      await schema.collections.create({ name, display_name: name });
      await schema.fields(name).create({ name: 'title', field_type: 'string' });
      await schema.fields(name).create({ name: 'price', field_type: 'int' });
    }
    const key = await admin.admin.apiKeys(projectId).create({ name: 'tests' });
    const data = newClient({ apiKey: key.api_key }).project(projectId);
    products = data.collection<Product>('products');
    archive = data.collection<Product>('archive');
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

  it('exports JSON and CSV with filters and imports them back', async () => {
    await products.bulk({
      create: [
        { title: 'exp, "quoted"', price: 7 },
        { title: 'exp plain', price: 8 },
        { title: 'other', price: 9 },
      ],
    });

    const json = await products.export({ title__startswith: 'exp', sort: 'price' });
    const rows = JSON.parse(json) as Array<Product & { id: unknown }>;
    expect(rows.map((r) => [r.title, r.price])).toEqual([
      ['exp, "quoted"', 7],
      ['exp plain', 8],
    ]);

    const csv = await products.export({
      format: 'csv',
      title__startswith: 'exp',
      fields: ['title', 'price'],
      sort: ['price'],
    });
    expect(csv.split('\n')[0]).toBe('id,title,price');

    expect(await archive.import(csv)).toEqual({ inserted: 2 });
    expect(await archive.import(rows.map(({ title, price }) => ({ title, price })))).toEqual({
      inserted: 2,
    });
    const copied = await archive.list({ sort: ['price', 'id'] });
    expect(copied.records.map((r) => [r.title, r.price])).toEqual([
      ['exp, "quoted"', 7],
      ['exp, "quoted"', 7],
      ['exp plain', 8],
      ['exp plain', 8],
    ]);
  });

  it('imports all or nothing and reports the bad rows', async () => {
    const before = (await archive.list({ limit: 1 })).total;

    const err = await rejection(
      archive.import([
        { title: 'ok', price: 1 },
        { title: 'bad', price: 'x' as never },
      ]),
    );

    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((err as BackendifyError).errors[0]).toMatchObject({ row: 2, field: 'price' });
    expect((await archive.list({ limit: 1 })).total).toBe(before);
  });
});
