import { csvCell, unguardCsvCell } from './csv-cell';

describe('CSV formula guard', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['-5', "'-5"],
    ['+1', "'+1"],
    ['@me', "'@me"],
    ["'=x", "''=x"],
    ["''-3", "'''-3"],
    ["'plain", "'plain"],
    ['plain', 'plain'],
  ])('guards %j as %j and import undoes it', (text, exported) => {
    expect(csvCell(text)).toBe(exported);
    expect(unguardCsvCell(exported)).toBe(text);
  });

  it('quotes cells with commas, quotes and line breaks after guarding', () => {
    expect(csvCell('=SUM(1,2) "x"')).toBe(`"'=SUM(1,2) ""x"""`);
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });
});
