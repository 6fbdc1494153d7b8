import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { codeBlocks, expectedOutput, readGuide } from './harness/markdown.js';
import { describeRun, run } from './harness/processes.js';
import { formatMs, report } from './harness/project.js';

const { shared, lean } = inject('projects');

/** The code of docs/quickstart.md §4, read from the guide now, not copied. */
function quickstartSection4(): { code: string; line: number } {
  const blocks = codeBlocks(readGuide('quickstart.md')).filter((b) => /^4\.\s/.test(b.section) && b.lang === 'ts');
  expect(blocks.length, 'docs/quickstart.md §4 has one ts block').toBe(1);
  return blocks[0]!;
}

describe('docs/quickstart.md §4, as written, outside the repository', () => {
  it('type-checks under nodenext and runs in a project with only the server packages and pg, printing what its comments say', async () => {
    const { code, line } = quickstartSection4();
    // Type-checked (and compiled) in the shared project, which has TypeScript and @types/node, with
    // the settings of a Node app: no DOM library.
    const dir = join(shared, 'quickstart');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'quickstart.ts'), code);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'ES2022', lib: ['ES2022'], types: ['node'], strict: true, skipLibCheck: false, outDir: 'out' }, files: ['quickstart.ts'] }, null, 2),
    );
    const tsc = await run(process.execPath, [join(shared, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, timeoutMs: 120_000 });
    expect(tsc.code, describeRun(`tsc over docs/quickstart.md:${line}`, tsc)).toBe(0);

    // Run where only @aivah/credits-node, @aivah/credits and pg are installed: what it imports must be there.
    const runDir = join(lean, 'quickstart');
    mkdirSync(runDir, { recursive: true });
    copyFileSync(join(dir, 'out', 'quickstart.js'), join(runDir, 'quickstart.js'));
    const result = await run(process.execPath, ['quickstart.js'], { cwd: runDir, timeoutMs: 60_000 });
    expect(result.code, describeRun(`node docs/quickstart.md:${line}`, result)).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual(expectedOutput(code));
    report('quickstart §4', `type-checked in ${formatMs(tsc.ms)}, ran in ${formatMs(result.ms)} with only the server packages and pg installed`);
  });
});
