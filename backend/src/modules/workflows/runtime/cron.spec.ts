import {
  assertTimezone,
  collapseMissed,
  MAX_NEXT_TIMES,
  nextAfter,
  nextTimes,
  parseSchedule,
  ScheduleError,
} from './cron';

const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());

describe('parseSchedule', () => {
  it('normalizes whitespace and defaults to UTC', () => {
    const sut = parseSchedule('  0   9 * *  1-5 ');
    expect(sut.cron).toBe('0 9 * * 1-5');
    expect(sut.timezone).toBe('UTC');
  });

  it.each([
    ['* * * * * *', /5 fields .* has 6/],
    ['* * * *', /5 fields .* has 4/],
    ['', /has 0/],
    ['@daily', /has 1/],
    ['61 * * * *', /invalid cron "61 \* \* \* \*": Invalid value for minute: 61/],
    ['* 24 * * *', /invalid cron/],
    ['* * 0 * *', /invalid cron/],
    ['* * * 13 *', /invalid cron/],
    ['a b c d e', /illegal characters/],
    ['*/0 * * * *', /invalid cron/],
    ['0 0 31 2 *', /never fires/],
    ['x'.repeat(201), /at most 200/],
  ])('rejects %j', (cron, message) => {
    expect(() => parseSchedule(cron)).toThrow(ScheduleError);
    expect(() => parseSchedule(cron)).toThrow(message);
  });

  it.each([
    'Mars/Olympus',
    'Europe/Nowhere',
    '+02:00',
    'UTC+2',
    '',
    '../etc/passwd',
    'a'.repeat(65),
  ])('rejects the timezone %j', (timezone) => {
    expect(() => parseSchedule('0 * * * *', timezone)).toThrow(ScheduleError);
    expect(() => assertTimezone(timezone)).toThrow(/timezone/);
  });

  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Etc/GMT+5'])(
    'accepts the timezone %s',
    (timezone) => {
      expect(parseSchedule('0 * * * *', timezone).timezone).toBe(timezone);
    },
  );
});

describe('nextTimes', () => {
  const from = new Date('2024-01-01T00:00:00.000Z'); // a Monday

  it.each([
    [
      '*/15 * * * *',
      ['2024-01-01T00:15:00.000Z', '2024-01-01T00:30:00.000Z', '2024-01-01T00:45:00.000Z'],
    ],
    [
      '0 9 * * 1-5',
      ['2024-01-01T09:00:00.000Z', '2024-01-02T09:00:00.000Z', '2024-01-03T09:00:00.000Z'],
    ],
    [
      '0 0 1 * *',
      ['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
    ],
    [
      '30 12 * * SUN',
      ['2024-01-07T12:30:00.000Z', '2024-01-14T12:30:00.000Z', '2024-01-21T12:30:00.000Z'],
    ],
    [
      '0 0 29 2 *',
      ['2024-02-29T00:00:00.000Z', '2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z'],
    ],
    // Day and weekday both restricted: either matches (the 13th, or a Friday).
    [
      '0 0 13 * 5',
      ['2024-01-05T00:00:00.000Z', '2024-01-12T00:00:00.000Z', '2024-01-13T00:00:00.000Z'],
    ],
  ])('%s fires at %j', (cron, expected) => {
    expect(iso(nextTimes(parseSchedule(cron), from, 3))).toEqual(expected);
  });

  it('is strictly after `from`, also within the same minute', () => {
    const sut = parseSchedule('0 10 * * *');
    expect(iso(nextTimes(sut, new Date('2024-01-01T10:00:00.000Z'), 1))).toEqual([
      '2024-01-02T10:00:00.000Z',
    ]);
    expect(nextAfter(sut, new Date('2024-01-01T10:00:00.500Z'))?.toISOString()).toBe(
      '2024-01-02T10:00:00.000Z',
    );
    expect(nextAfter(sut, new Date('2024-01-01T09:59:59.999Z'))?.toISOString()).toBe(
      '2024-01-01T10:00:00.000Z',
    );
  });

  it('reads wall-clock time in the zone', () => {
    const sut = parseSchedule('0 10 * * *', 'America/New_York');
    // EST is UTC-5 in January, EDT UTC-4 in July.
    expect(nextAfter(sut, new Date('2024-01-01T00:00:00Z'))?.toISOString()).toBe(
      '2024-01-01T15:00:00.000Z',
    );
    expect(nextAfter(sut, new Date('2024-07-01T00:00:00Z'))?.toISOString()).toBe(
      '2024-07-01T14:00:00.000Z',
    );
  });

  it('keeps a daily time across the spring-forward gap in Europe/Berlin (02:30 runs at 03:00)', () => {
    const sut = parseSchedule('30 2 * * *', 'Europe/Berlin');
    expect(iso(nextTimes(sut, new Date('2024-03-29T12:00:00Z'), 3))).toEqual([
      '2024-03-30T01:30:00.000Z', // 02:30 CET
      '2024-03-31T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST
      '2024-04-01T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('runs a daily time once when the fall-back hour repeats in Europe/Berlin', () => {
    const sut = parseSchedule('30 2 * * *', 'Europe/Berlin');
    expect(iso(nextTimes(sut, new Date('2024-10-25T12:00:00Z'), 3))).toEqual([
      '2024-10-26T00:30:00.000Z', // 02:30 CEST
      '2024-10-27T00:30:00.000Z', // the first 02:30, CEST
      '2024-10-28T01:30:00.000Z', // 02:30 CET
    ]);
  });

  it('keeps an interval every 30 real minutes through the repeated hour in America/New_York', () => {
    const sut = parseSchedule('*/30 * * * *', 'America/New_York');
    // 2024-11-03 01:00-02:00 happens twice (EDT, then EST).
    expect(iso(nextTimes(sut, new Date('2024-11-03T04:50:00Z'), 5))).toEqual([
      '2024-11-03T05:00:00.000Z', // 01:00 EDT
      '2024-11-03T05:30:00.000Z', // 01:30 EDT
      '2024-11-03T06:00:00.000Z', // 01:00 EST
      '2024-11-03T06:30:00.000Z', // 01:30 EST
      '2024-11-03T07:00:00.000Z', // 02:00 EST
    ]);
  });

  it('skips the missing hour for an interval at spring forward in America/New_York', () => {
    const sut = parseSchedule('0 * * * *', 'America/New_York');
    expect(iso(nextTimes(sut, new Date('2024-03-10T05:30:00Z'), 3))).toEqual([
      '2024-03-10T06:00:00.000Z', // 01:00 EST
      '2024-03-10T07:00:00.000Z', // 03:00 EDT (02:00 does not exist)
      '2024-03-10T08:00:00.000Z', // 04:00 EDT
    ]);
  });

  it('caps n and accepts zero', () => {
    const sut = parseSchedule('* * * * *');
    expect(nextTimes(sut, from, 0)).toEqual([]);
    expect(nextTimes(sut, from, -3)).toEqual([]);
    expect(nextTimes(sut, from, MAX_NEXT_TIMES + 50)).toHaveLength(MAX_NEXT_TIMES);
  });
});

describe('collapseMissed', () => {
  const sut = parseSchedule('0 * * * *');

  it('does not fire before the scheduled time', () => {
    const at = new Date('2024-01-01T10:00:00Z');
    expect(collapseMissed(sut, at, new Date('2024-01-01T09:59:59Z'))).toEqual({
      fire: false,
      missed: 0,
      next: at,
    });
  });

  it('fires once on time', () => {
    const at = new Date('2024-01-01T10:00:00Z');
    const due = collapseMissed(sut, at, new Date('2024-01-01T10:00:02Z'));
    expect(due).toEqual({ fire: true, missed: 0, next: new Date('2024-01-01T11:00:00Z') });
  });

  it('folds the ticks missed while down into one run and schedules after now', () => {
    const at = new Date('2024-01-01T10:00:00Z');
    const due = collapseMissed(sut, at, new Date('2024-01-01T15:30:00Z'));
    // 11:00, 12:00, 13:00, 14:00, 15:00 passed too.
    expect(due).toEqual({ fire: true, missed: 5, next: new Date('2024-01-01T16:00:00Z') });
  });

  it('caps the missed count after a long outage', () => {
    const due = collapseMissed(
      parseSchedule('* * * * *'),
      new Date('2024-01-01T00:00:00Z'),
      new Date('2024-02-01T00:00:00Z'),
    );
    expect(due.missed).toBe(MAX_NEXT_TIMES);
    expect(due.next?.toISOString()).toBe('2024-02-01T00:01:00.000Z');
  });
});
