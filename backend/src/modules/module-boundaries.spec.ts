import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every `.ts` file under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('module boundaries', () => {
  it("no module imports another module's repository (its service is the door)", () => {
    const offenders: string[] = [];
    for (const file of sources(__dirname)) {
      const text = readFileSync(file, 'utf8');
      // Sibling repositories ('./x.repository') are the module's own; '../<module>/x.repository' is not.
      for (const m of text.matchAll(/from '((?:\.\.\/)+[\w-]+\/[\w./-]*\.repository)'/g)) {
        offenders.push(`${file.slice(__dirname.length + 1)} → ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
