/**
 * Converts ../../spec/openapi.yaml into src/generated/spec.ts so that the runtime validates
 * against the contract without shipping a YAML parser. `test/http-spec-drift.test.ts` fails
 * when the committed file no longer matches the YAML.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url);

/** The generated module text for a YAML spec document. */
export function renderSpecModule(yamlText: string): string {
  const spec = parse(yamlText);
  return [
    '// Generated from spec/openapi.yaml by `pnpm generate`. Do not edit.',
    '/* eslint-disable */',
    `export const spec = ${JSON.stringify(spec, null, 2)} as const;`,
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const yamlText = readFileSync(new URL('../../spec/openapi.yaml', root), 'utf8');
  writeFileSync(new URL('src/generated/spec.ts', root), renderSpecModule(yamlText));
  console.log('wrote src/generated/spec.ts');
}
