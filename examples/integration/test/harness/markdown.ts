/**
 * Code blocks read out of the guides at test time, so that what the scenarios run is what a reader
 * copies. Same fence syntax as the docs package's extractor: ```lang flag flag…, with `file=path`
 * naming a block's file and `// → text` comments stating what a `console.log` prints.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './project.js';

export interface CodeBlock {
  lang: string;
  flags: string[];
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The `##` heading the block sits under. */
  section: string;
}

export function readGuide(name: string): string {
  return readFileSync(join(repoRoot, 'docs', name), 'utf8');
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^##\s+(.*)$/.exec(lines[i]!);
    if (heading) section = heading[1]!.trim();
    const open = /^(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, fence, info] = open;
    const [lang = '', ...flags] = info!.trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = lines[j]!.trimStart();
      if (close.startsWith(fence!) && close.replace(/[`~]/g, '').trim() === '') break;
      body.push(lines[j]!);
    }
    blocks.push({ lang, flags, code: body.join('\n') + '\n', line: i + 1, section });
    i = j;
  }
  return blocks;
}

/** The value of a block's `name=value` flag. */
export function flag(block: CodeBlock, name: string): string | undefined {
  return block.flags.find((f) => f.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** The `// → …` expectations of a block, in order. */
export function expectedOutput(code: string): string[] {
  return code.split('\n').flatMap((line) => {
    const m = /\/\/ → (.*)$/.exec(line);
    return m ? [m[1]!.trimEnd()] : [];
  });
}
