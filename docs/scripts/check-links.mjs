#!/usr/bin/env node
// Link check: every relative link and #anchor in the guides (docs/*.md) and the package READMEs
// resolves, and every local href/src in the generated site (docs/site) points at an existing file
// and anchor. Prints the broken ones and exits 1.
//
//   node scripts/check-links.mjs           guides + site (the site must be built: `pnpm run docs`)
//   node scripts/check-links.mjs --guides  guides only
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { docsDir, headingAnchors, listGuides, markdownLinks } from './markdown.mjs';

const repoRoot = resolve(docsDir, '..');
export const siteDir = join(docsDir, 'site');
const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/** The markdown files checked: the guides, the root README and the package READMEs that point into them. */
export function markdownFiles() {
  const files = [...listGuides().map((g) => join(docsDir, g)), join(repoRoot, 'README.md')];
  for (const pkg of ['sdk', 'react', 'node']) {
    const readme = join(repoRoot, 'packages', pkg, 'README.md');
    if (existsSync(readme)) files.push(readme);
  }
  return files;
}

/** @returns {string[]} one message per broken link. */
export function checkMarkdown(files = markdownFiles()) {
  const anchorsCache = new Map();
  const anchorsOf = (file) => {
    if (!anchorsCache.has(file)) anchorsCache.set(file, headingAnchors(readFileSync(file, 'utf8')));
    return anchorsCache.get(file);
  };
  const broken = [];
  for (const file of files) {
    for (const { target, line } of markdownLinks(readFileSync(file, 'utf8'))) {
      if (EXTERNAL.test(target) || target.startsWith('//')) continue;
      const [pathPart, anchor] = splitHash(target);
      const where = `${relative(repoRoot, file)}:${line}`;
      if (pathPart.startsWith('/')) { broken.push(`${where}: ${target} is site-absolute; use a relative link`); continue; }
      const dest = pathPart ? resolve(dirname(file), decodeURIComponent(pathPart)) : file;
      if (!existsSync(dest)) { broken.push(`${where}: ${target} → no such file`); continue; }
      if (anchor && dest.endsWith('.md') && !anchorsOf(dest).has(decodeURIComponent(anchor))) {
        broken.push(`${where}: ${target} → no heading #${anchor} in ${relative(repoRoot, dest)}`);
      }
    }
  }
  return broken;
}

function splitHash(target) {
  const i = target.indexOf('#');
  const path = (i < 0 ? target : target.slice(0, i)).split('?')[0];
  return [path, i < 0 ? '' : target.slice(i + 1)];
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** @returns {string[]} one message per broken local href/src in the built site. */
export function checkSite(dir = siteDir) {
  if (!existsSync(join(dir, 'index.html'))) return [`${relative(repoRoot, dir)}/index.html is missing: build the site first (pnpm run docs)`];
  const idsCache = new Map();
  const idsOf = (file) => {
    if (!idsCache.has(file)) {
      const html = readFileSync(file, 'utf8');
      idsCache.set(file, new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1])));
    }
    return idsCache.get(file);
  };
  const broken = [];
  const pages = walk(dir).filter((f) => f.endsWith('.html'));
  for (const page of pages) {
    const html = readFileSync(page, 'utf8');
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const target = m[1].replaceAll('&amp;', '&');
      if (!target || EXTERNAL.test(target) || target.startsWith('//')) continue;
      const [pathPart, anchor] = splitHash(target);
      let dest = pathPart ? resolve(dirname(page), decodeURIComponent(pathPart)) : page;
      if (existsSync(dest) && statSync(dest).isDirectory()) dest = join(dest, 'index.html');
      const where = relative(dir, page);
      if (!dest.startsWith(dir) || !existsSync(dest)) { broken.push(`site/${where}: ${target} → no such file`); continue; }
      if (anchor && dest.endsWith('.html') && !idsOf(dest).has(decodeURIComponent(anchor))) {
        broken.push(`site/${where}: ${target} → no id "${anchor}" in ${relative(dir, dest)}`);
      }
    }
  }
  return broken;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const guidesOnly = process.argv.includes('--guides');
  const broken = [...checkMarkdown(), ...(guidesOnly ? [] : checkSite())];
  if (broken.length) {
    console.error(`links: ${broken.length} broken\n  ${broken.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`links: ok (${markdownFiles().length} markdown files${guidesOnly ? '' : ' + site'})`);
}
