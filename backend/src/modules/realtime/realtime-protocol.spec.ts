import { errorMessage, eventMessage, eventTail, parseClientMessage } from './realtime-protocol';

const parse = (text: string, max = 1024) => parseClientMessage(text, false, max);

describe('parseClientMessage', () => {
  it.each([
    [
      { type: 'subscribe', id: 's1', collection: 'posts' },
      { type: 'subscribe', id: 's1', collection: 'posts' },
    ],
    [
      {
        type: 'subscribe',
        id: 's1',
        collection: 'posts',
        filter: { field: 'a', op: 'eq', value: 1 },
        since: '42',
      },
      {
        type: 'subscribe',
        id: 's1',
        collection: 'posts',
        filter: { field: 'a', op: 'eq', value: 1 },
        since: '42',
      },
    ],
    [
      { type: 'subscribe', id: 's1', collection: 'posts', since: 42 },
      { type: 'subscribe', id: 's1', collection: 'posts', since: '42' },
    ],
    [
      { type: 'subscribe', id: 's1', collection: 'posts', since: null },
      { type: 'subscribe', id: 's1', collection: 'posts' },
    ],
    [
      { type: 'unsubscribe', id: 's1' },
      { type: 'unsubscribe', id: 's1' },
    ],
    [
      { type: 'auth', token: 'abc' },
      { type: 'auth', token: 'abc' },
    ],
    [
      { type: 'auth', api_key: 'bfk_x' },
      { type: 'auth', api_key: 'bfk_x' },
    ],
    [{ type: 'ping' }, { type: 'ping' }],
  ])('accepts %j', (input, message) => {
    expect(parse(JSON.stringify(input))).toEqual({ ok: true, message });
  });

  it.each([
    ['not json', 'BAD_MESSAGE', undefined],
    ['', 'BAD_MESSAGE', undefined],
    ['null', 'BAD_MESSAGE', undefined],
    ['[{"type":"ping"}]', 'BAD_MESSAGE', undefined],
    ['"ping"', 'BAD_MESSAGE', undefined],
    ['{"type":42}', 'BAD_MESSAGE', undefined],
    ['{"type":"subscribe","id":"s"}', 'VALIDATION_FAILED', 's'],
    ['{"type":"subscribe","id":"","collection":"c"}', 'VALIDATION_FAILED', undefined],
    ['{"type":"subscribe","id":7,"collection":"c"}', 'VALIDATION_FAILED', undefined],
    ['{"type":"subscribe","id":"s","collection":"c","since":"-1"}', 'VALIDATION_FAILED', 's'],
    ['{"type":"subscribe","id":"s","collection":"c","since":1.5}', 'VALIDATION_FAILED', 's'],
    ['{"type":"subscribe","id":"s","collection":{"$ne":1}}', 'VALIDATION_FAILED', 's'],
    ['{"type":"unsubscribe"}', 'VALIDATION_FAILED', undefined],
    ['{"type":"auth"}', 'VALIDATION_FAILED', undefined],
    ['{"type":"auth","token":"a","api_key":"b"}', 'VALIDATION_FAILED', undefined],
    ['{"type":"auth","token":""}', 'VALIDATION_FAILED', undefined],
    ['{"type":"auth","token":{}}', 'VALIDATION_FAILED', undefined],
    ['{"type":"__proto__","id":"x"}', 'BAD_MESSAGE', 'x'],
  ])('answers %s with %s', (text, code, id) => {
    const out = parse(text);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.code).toBe(code);
      expect(out.error.id).toBe(id);
      expect(out.error.detail).toEqual(expect.any(String));
    }
  });

  it('refuses binary frames and frames over the limit, whatever they hold', () => {
    const ping = Buffer.from('{"type":"ping"}');
    expect(parseClientMessage(ping, true, 1024)).toMatchObject({
      ok: false,
      error: { code: 'BAD_MESSAGE' },
    });
    expect(parseClientMessage(ping, false, 1024)).toEqual({ ok: true, message: { type: 'ping' } });
    expect(parseClientMessage([ping, ping], false, 20)).toMatchObject({
      ok: false,
      error: { code: 'MESSAGE_TOO_LARGE' },
    });
    // Bytes, not characters: four 3-byte characters and two quotes are 14 bytes.
    expect(parse('"€€€€"', 14)).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(parse('"€€€€"', 13)).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LARGE' } });
  });

  it('never throws on hostile input', () => {
    const samples = [
      '{',
      '{"type":"subscribe","id":"a","collection":"b","filter":' + '['.repeat(5000),
      '\u0000',
      '{"a":1}'.repeat(100),
    ];
    for (const s of samples) expect(() => parse(s, 1 << 20)).not.toThrow();
  });
});

describe('server messages', () => {
  it('error messages carry the subscription id only when there is one', () => {
    expect(JSON.parse(errorMessage({ code: 'BAD_MESSAGE', detail: 'x' }))).toEqual({
      type: 'error',
      code: 'BAD_MESSAGE',
      detail: 'x',
    });
    expect(JSON.parse(errorMessage({ id: 's', code: 'SINCE_TOO_OLD', detail: 'y' }))).toEqual({
      type: 'error',
      id: 's',
      code: 'SINCE_TOO_OLD',
      detail: 'y',
    });
  });

  it('events are the DESIGN §8 shape, the subscription id escaped', () => {
    const tail = eventTail('12', 'posts', { id: 1 }, { id: 1, t: 'a' }, false);
    expect(JSON.parse(eventMessage('record.updated', 'a"b', tail))).toEqual({
      type: 'record.updated',
      subscription: 'a"b',
      event_id: '12',
      collection: 'posts',
      record: { id: 1 },
      old_record: { id: 1, t: 'a' },
    });
    const leave = eventTail('13', 'posts', { id: 1 }, null, true);
    expect(JSON.parse(eventMessage('record.deleted', 's', leave))).toEqual({
      type: 'record.deleted',
      subscription: 's',
      event_id: '13',
      collection: 'posts',
      record: { id: 1 },
      reason: 'left_view',
    });
  });
});
