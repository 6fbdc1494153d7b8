/**
 * The entry points the installed packages declare, read from their packed exports maps, and the
 * fixtures the scenarios copy into the temporary project.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOT_IN_SERVER_MAIN, PACKAGES, RUNTIME_EXPORTS } from './contract.js';

type ExportTarget = string | null | { [condition: string]: ExportTarget } | ExportTarget[];

function leaves(target: ExportTarget): string[] {
  if (target === null) return [];
  if (typeof target === 'string') return [target];
  if (Array.isArray(target)) return target.flatMap(leaves);
  return Object.values(target).flatMap(leaves);
}

/** The installed package.json of one of our packages. */
export function installedManifest(projectDir: string, name: string): { exports?: Record<string, ExportTarget>; version: string } {
  return JSON.parse(readFileSync(join(projectDir, 'node_modules', name, 'package.json'), 'utf8'));
}

/**
 * The import specifiers of every JavaScript entry of a package (`@aivah/credits-node/postgres`, …).
 * Stylesheets and package.json are not modules; a pattern (`./*`) cannot be enumerated and is an
 * error, so that nothing hides behind one untested.
 */
export function javascriptEntries(projectDir: string, name: string): string[] {
  const map = installedManifest(projectDir, name).exports ?? { '.': './dist/index.js' };
  return Object.entries(map).flatMap(([subpath, target]) => {
    if (subpath.includes('*')) throw new Error(`${name} exports the pattern ${subpath}: list its entries explicitly so they can be tested`);
    const files = leaves(target);
    if (files.length === 0 || files.every((f) => /\.(css|json)$/.test(f))) return [];
    return [subpath === '.' ? name : `${name}/${subpath.slice(2)}`];
  });
}

/** The stylesheets a package exports (`@aivah/credits-react/ui/styles.css`, …). */
export function stylesheetEntries(projectDir: string, name: string): string[] {
  const map = installedManifest(projectDir, name).exports ?? {};
  return Object.entries(map).flatMap(([subpath, target]) => (leaves(target).every((f) => f.endsWith('.css')) && leaves(target).length > 0 ? [`${name}/${subpath.slice(2)}`] : []));
}

/** Every JavaScript entry of the three packages. */
export function allEntries(projectDir: string): string[] {
  return PACKAGES.flatMap((name) => javascriptEntries(projectDir, name));
}

/**
 * Entries a package declares as ES-module only: no `require` or `default` condition (vitest, for
 * one, refuses to be `require`d, so a test-only entry may rightly be ESM-only).
 */
export function esmOnlyEntries(projectDir: string): string[] {
  return PACKAGES.flatMap((name) => {
    const map = installedManifest(projectDir, name).exports ?? {};
    return javascriptEntries(projectDir, name).filter((specifier) => {
      const target = map[specifier === name ? '.' : `./${specifier.slice(name.length + 1)}`];
      return typeof target === 'object' && target !== null && !Array.isArray(target) && !('require' in target) && !('default' in target);
    });
  });
}

export interface ScriptContract {
  entries: string[];
  esmOnly: string[];
}

/** Writes contract.json beside the node scripts: what they load and what they demand. */
export function writeContract(dir: string, projectDir: string): ScriptContract {
  const contract = { entries: allEntries(projectDir), esmOnly: esmOnlyEntries(projectDir) };
  writeFileSync(join(dir, 'contract.json'), JSON.stringify({ ...contract, runtimeExports: RUNTIME_EXPORTS, notInServerMain: NOT_IN_SERVER_MAIN }, null, 2) + '\n');
  return contract;
}

/** The folder of checked-in fixture files. */
export const fixturesDir = new URL('../../fixtures/', import.meta.url).pathname;

/** Copies `fixtures/<name>` into `dest`. */
export function copyFixture(name: string, dest: string): string {
  cpSync(join(fixturesDir, name), dest, { recursive: true });
  return dest;
}
