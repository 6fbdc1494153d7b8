import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMarkdown, checkSite, markdownFiles } from '../scripts/check-links.mjs';
import { docsDir, headingAnchors } from '../scripts/markdown.mjs';

describe('links', () => {
  it('every relative link and #anchor in the guides and package READMEs resolves', () => {
    expect(markdownFiles().length).toBeGreaterThan(10);
    expect(checkMarkdown()).toEqual([]);
  });

  it('the API reference builds with warnings as errors (typedoc), and every local href in the site resolves', () => {
    const typedoc = join(dirname(createRequire(import.meta.url).resolve('typedoc/package.json')), 'bin', 'typedoc');
    // Its own output directory: `pnpm run docs` (turbo's docs#build) may be writing docs/site right now.
    const out = mkdtempSync(join(tmpdir(), 'aivah-docs-site-'));
    try {
      execFileSync(process.execPath, [typedoc, '--out', out], { cwd: docsDir, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      rmSync(out, { recursive: true, force: true });
      const err = e as { stdout?: string; stderr?: string };
      // eslint-disable-next-line no-control-regex
      const lines = `${err.stdout ?? ''}${err.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => /warning|error/.test(l));
      const shown = lines.slice(0, 80).join('\n');
      throw new Error(`typedoc failed (run \`pnpm run docs\` for the full list):\n${shown}${lines.length > 80 ? `\n… ${lines.length - 80} more` : ''}`);
    }
    try {
      expect(checkSite(out)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    // TypeDoc over three packages takes 35–75 s alone on a 2-core machine and more while `pnpm test`
    // runs every package at once; the timeout only guards against a hang.
  }, 300_000);

  it('accepts only anchors that GitHub and TypeDoc both generate, numbering repeats', () => {
    const md = '# Holds and calls\n## INSUFFICIENT_CREDITS\n## `HOLD_NOT_ACTIVE`\n## Step 1: buy\n## Step 1: buy\n```\n# not a heading\n```\n';
    // A heading that is only code renders as "_" in TypeDoc, so no link may point at it.
    expect([...headingAnchors(md)]).toEqual(['holds-and-calls', 'insufficient_credits', 'step-1-buy', 'step-1-buy-1']);
  });
});
