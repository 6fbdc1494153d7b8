// Small, dependency-free helpers shared by the snippet extractor, the link check and the tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folder holding the guides (this package's root). */
export const docsDir = new URL('..', import.meta.url).pathname;

/** Every guide: the `*.md` files directly in `docs/`, sorted. */
export function listGuides() {
  return readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort();
}

export function readGuide(name) {
  return readFileSync(join(docsDir, name), 'utf8');
}

/** Languages whose blocks are type-checked. */
export const CHECKED_LANGS = new Set(['ts', 'tsx']);

/**
 * The fenced code blocks of a markdown document.
 * The info string is `lang flag flag…`; flags used here: `no-check` (not type-checked, use sparingly)
 * and `run` (executed by the tests).
 * @returns {{ lang: string, flags: string[], code: string, line: number }[]} `line` is 1-based, of the opening fence.
 */
export function codeBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const [lang = '', ...flags] = info.trim().split(/\s+/).filter(Boolean);
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = lines[j].trimStart();
      if (close.startsWith(fence[0].repeat(fence.length)) && close.replace(/[`~]/g, '').trim() === '') break;
      body.push(indent && lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    blocks.push({ lang, flags, code: body.join('\n') + '\n', line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The markdown with fenced code blocks and inline code removed (for link and heading scans). */
export function stripCode(markdown) {
  const out = [];
  let fence = null;
  for (const line of markdown.split('\n')) {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = null;
      out.push('');
      continue;
    }
    if (m) { fence = m[1]; out.push(''); continue; }
    out.push(line.replace(/`[^`]*`/g, (s) => ' '.repeat(s.length)));
  }
  return out.join('\n');
}

/**
 * The heading anchors a link may use: those that GitHub (where people read the guides) and TypeDoc
 * (which renders them into docs/site) both generate, so a link works in both places.
 * Repeats get `-1`, `-2`.
 */
export function headingAnchors(markdown) {
  const github = anchorsWith(markdown, slug);
  const typedoc = anchorsWith(markdown, typedocSlug);
  return new Set([...github].filter((a) => typedoc.has(a)));
}

function anchorsWith(markdown, slugify) {
  const anchors = new Set();
  const seen = new Map();
  let fence = null;
  for (const line of markdown.split('\n')) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) { if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = null; continue; }
    if (f) { fence = f[1]; continue; }
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slugify(h[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** TypeDoc's anchor (its Slugger, on the rendered heading text, where code spans come out empty). */
export function typedocSlug(heading) {
  const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`[^`]*`/g, '').replace(/<[^>]+>/g, '');
  const serialized = text
    .trim()
    .replace(/[\u2000-\u206F\u2E00-\u2E7F\\'!"#$%&()*+,./:;<=>?@[\]^`{|}~]/g, '')
    .replace(/\s/g, '-')
    .replace(/--+/, '-');
  return (serialized || '_').toLocaleLowerCase();
}

/** GitHub's anchor: lower case, punctuation dropped, spaces to dashes. */
export function slug(heading) {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Inline links and link reference definitions: `[text](target)`, `[x]: target`. Images included. */
export function markdownLinks(markdown) {
  const text = stripCode(markdown);
  const links = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: m[1], line: i + 1 });
    const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/.exec(line);
    if (def) links.push({ target: def[1], line: i + 1 });
    for (const m of line.matchAll(/\bhref="([^"]+)"/g)) links.push({ target: m[1], line: i + 1 });
  });
  return links;
}
