import type { FieldOptions, FieldTypeDefinition, ParseResult } from './field-type';
import { fail, isPositiveIntegerIn, ok, ORDERED_OPERATORS } from './parse-helpers';

export const DEFAULT_PRECISION = 18;
export const DEFAULT_SCALE = 2;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;

function precisionOf(options: FieldOptions): { precision: number; scale: number } {
  return {
    precision: options.precision ?? DEFAULT_PRECISION,
    scale: options.scale ?? DEFAULT_SCALE,
  };
}

/** Text in, text out, so no digit is lost to floating point; rejects what numeric(p,s) would overflow on. */
function parseDecimalText(raw: string, options: FieldOptions): ParseResult {
  const match = DECIMAL_TEXT.exec(raw);
  if (!match || (match[2] === '' && (match[3] ?? '') === ''))
    return fail('must be a decimal number');
  const [, sign, intPart, fracPart = ''] = match;
  const { precision, scale } = precisionOf(options);
  let scaled = BigInt(
    (intPart + fracPart.slice(0, scale).padEnd(scale, '0')).replace(/^0+/, '') || '0',
  );
  if ((fracPart[scale] ?? '0') >= '5') scaled += 1n;
  if (scaled >= 10n ** BigInt(precision)) {
    return fail(`must have at most ${precision - scale} digits before the decimal point`);
  }
  const normalized = `${sign === '-' ? '-' : ''}${intPart || '0'}${fracPart ? `.${fracPart}` : ''}`;
  return ok(normalized);
}

export const DECIMAL_FIELD_TYPE: FieldTypeDefinition = {
  name: 'decimal',
  columnType(options) {
    const { precision, scale } = precisionOf(options);
    if (!isPositiveIntegerIn(precision, 1, 1000) || !isPositiveIntegerIn(scale, 0, precision)) {
      throw new Error('decimal options must be validated before use');
    }
    return `numeric(${precision},${scale})`;
  },
  validateOptions(options) {
    const { precision, scale } = precisionOf(options);
    if (!isPositiveIntegerIn(precision, 1, 1000)) {
      return 'precision must be an integer between 1 and 1000';
    }
    if (!isPositiveIntegerIn(scale, 0, precision)) {
      return 'scale must be an integer between 0 and precision';
    }
    return null;
  },
  parse(input, options) {
    if (input === null) return ok(null);
    if (typeof input === 'number') {
      if (!Number.isFinite(input)) return fail('must be a finite number');
      const text = String(input);
      return /e/i.test(text) ? fail('must be a decimal number') : parseDecimalText(text, options);
    }
    if (typeof input === 'string') return parseDecimalText(input, options);
    return fail('must be a decimal number');
  },
  parseQuery: parseDecimalText,
  serialize: (value) => (value === undefined ? null : value),
  operators: ORDERED_OPERATORS,
  textual: false,
};
