import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collectSnippets, snippetsDir } from '../scripts/extract-snippets.mjs';

/**
 * Blocks marked ```ts run are executed against the real packages in-process (memory ledger, the
 * HTTP handler, the checkout emulator). Every `console.log(…)` in such a block ends in a comment
 * `// → <expected output>`; the block passes when it completes and printed exactly those lines.
 */
const runnable = collectSnippets().filter((s) => s.run);

/** The `// → …` expectations of a block, in order. */
export function expectedOutput(code: string): string[] {
  return code.split('\n').flatMap((line) => {
    const m = /\/\/ → (.*)$/.exec(line);
    return m ? [m[1]!.trimEnd()] : [];
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runnable blocks run and print what their comments say', () => {
  it('there are runnable blocks to run', () => {
    expect(runnable.length).toBeGreaterThan(0);
  });

  it.each(runnable.map((s) => [`docs/${s.guide}:${s.line}`, s] as const))('%s', async (_name, snippet) => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(format(...args));
    });
    await import(pathToFileURL(join(snippetsDir, snippet.file)).href);
    expect(printed).toEqual(expectedOutput(snippet.code));
  });

  it('reads the expected output from the arrow comments', () => {
    expect(expectedOutput("console.log(a); // → 2,000 Credits\nfoo();\nconsole.log(b) // → true  ")).toEqual(['2,000 Credits', 'true']);
  });
});
