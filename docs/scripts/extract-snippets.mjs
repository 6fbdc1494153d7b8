#!/usr/bin/env node
// Writes every ```ts / ```tsx block of the guides to .snippets/<guide>/L<line>.ts(x) so that `tsc`
// type-checks them against the workspace packages (resolved through their `source` export
// condition, no build needed) and the tests can run the blocks marked `run`.
// Blocks marked `no-check` are skipped; `file=name.ts` gives a block a file name other blocks can import.
// `.snippets/` is gitignored and brought up to date on every run.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHECKED_LANGS, codeBlocks, docsDir, listGuides, readGuide } from './markdown.mjs';

export const snippetsDir = join(docsDir, '.snippets');

/**
 * @returns {{ guide: string, line: number, lang: string, run: boolean, file: string, code: string }[]}
 *   `file` is relative to `.snippets/`.
 */
export function collectSnippets() {
  const snippets = [];
  for (const guide of listGuides()) {
    for (const block of codeBlocks(readGuide(guide))) {
      if (!CHECKED_LANGS.has(block.lang) || block.flags.includes('no-check')) continue;
      // `file=name.ts` names the extracted file, so that a later block of the same guide can import it.
      const named = block.flags.find((f) => f.startsWith('file='))?.slice(5);
      const file = `${guide.replace(/\.md$/, '')}/${named ?? `L${block.line}.${block.lang}`}`;
      snippets.push({ guide, line: block.line, lang: block.lang, run: block.flags.includes('run'), file, code: block.code });
    }
  }
  return snippets;
}

/**
 * Writes the snippets. Safe to run while another process (turbo runs `typecheck` and `test` in
 * parallel) writes or type-checks the same folder: unchanged files are left alone, changed ones are
 * replaced atomically (write, then rename), and only files no guide produces any more are removed.
 */
export function writeSnippets() {
  const snippets = collectSnippets();
  const wanted = new Map();
  for (const s of snippets) {
    // A block without import/export would be a script sharing one global scope with every other
    // block; `export {}` makes it a module (which also allows top-level await).
    const isModule = /^\s*(import|export)\s/m.test(s.code);
    wanted.set(join(snippetsDir, s.file), `// Extracted from docs/${s.guide}:${s.line} by scripts/extract-snippets.mjs; edit the guide instead.\n${s.code}${isModule ? '' : 'export {};\n'}`);
  }
  wanted.set(join(snippetsDir, 'manifest.json'), JSON.stringify(snippets.map(({ code, ...rest }) => rest), null, 2) + '\n');
  for (const [path, content] of wanted) {
    if (existsSync(path) && readFileSync(path, 'utf8') === content) continue;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  }
  for (const file of existsSync(snippetsDir) ? readdirSync(snippetsDir, { recursive: true }) : []) {
    const path = join(snippetsDir, String(file));
    if (wanted.has(path) || path.endsWith('.tmp') || statSync(path, { throwIfNoEntry: false })?.isFile() !== true) continue;
    rmSync(path, { force: true });
  }
  return snippets;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const snippets = writeSnippets();
  const runnable = snippets.filter((s) => s.run).length;
  console.log(`snippets: ${snippets.length} blocks from ${new Set(snippets.map((s) => s.guide)).size} guides (${runnable} runnable) → .snippets/`);
}
