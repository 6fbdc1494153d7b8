import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectSnippets, snippetsDir } from '../scripts/extract-snippets.mjs';
import { codeBlocks, CHECKED_LANGS, docsDir, listGuides, readGuide } from '../scripts/markdown.mjs';

interface Snippet { guide: string; line: number; lang: string; run: boolean; file: string; code: string }

// test/global-setup.ts wrote the files once for every test file.
const snippets: Snippet[] = collectSnippets();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** `tsc` diagnostics per extracted file (relative to .snippets/), or the whole output under `''`. */
let diagnostics = new Map<string, string[]>();

beforeAll(() => {
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: docsDir, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
  diagnostics = new Map();
  for (const line of output.split('\n').filter(Boolean)) {
    const m = /^\.snippets\/(.+?)\(\d+,\d+\)/.exec(line);
    const key = m?.[1] ?? '';
    diagnostics.set(key, [...(diagnostics.get(key) ?? []), line]);
  }
});

describe('every ts/tsx block in the guides type-checks against the workspace packages', () => {
  const guides = [...new Set(snippets.map((s) => s.guide))];
  it.each(guides)('docs/%s', (guide) => {
    const errors = snippets
      .filter((s) => s.guide === guide)
      .flatMap((s) => (diagnostics.get(s.file) ?? []).map((d) => `${guide}:${s.line} (${s.file}): ${d}`));
    expect(errors).toEqual([]);
  });

  it('tsc reports nothing outside the snippets (tests and config type-check too)', () => {
    const other = [...diagnostics].filter(([file]) => !snippets.some((s) => s.file === file)).flatMap(([, d]) => d);
    expect(other).toEqual([]);
  });
});

describe('snippet extraction', () => {
  it('writes one file per checked block and none for no-check blocks', () => {
    let checked = 0;
    let skipped = 0;
    for (const guide of listGuides() as string[]) {
      for (const b of codeBlocks(readGuide(guide)) as { lang: string; flags: string[] }[]) {
        if (!CHECKED_LANGS.has(b.lang)) continue;
        if (b.flags.includes('no-check')) skipped++;
        else checked++;
      }
    }
    expect(snippets).toHaveLength(checked);
    // "sparingly": at most one block in ten may opt out of type-checking.
    expect(skipped).toBeLessThanOrEqual(Math.ceil((checked + skipped) / 10));
  });

  it('reads the fence info string as language plus flags', () => {
    const md = ['# t', '```ts run', 'const a = 1;', '```', '', '```tsx no-check', '<div/>', '```', '```sh', 'ls', '```'].join('\n');
    expect(codeBlocks(md)).toEqual([
      { lang: 'ts', flags: ['run'], code: 'const a = 1;\n', line: 2 },
      { lang: 'tsx', flags: ['no-check'], code: '<div/>\n', line: 6 },
      { lang: 'sh', flags: [], code: 'ls\n', line: 9 },
    ]);
  });

  it('keeps the extracted files inside the gitignored .snippets folder', () => {
    expect(relative(docsDir, snippetsDir)).toBe('.snippets');
    expect(readFileSync(join(docsDir, '.gitignore'), 'utf8')).toMatch(/^\.snippets\/$/m);
  });
});
