import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSpecModule } from '../scripts/generate-spec.js';
import { renderValidatorsDeclarations, renderValidatorsModule } from '../scripts/generate-validators.js';

const yamlText = readFileSync(new URL('../../../spec/openapi.yaml', import.meta.url), 'utf8');
const generated = (file: string) => readFileSync(new URL(`../src/generated/${file}`, import.meta.url), 'utf8');

describe('generated spec', () => {
  it('src/generated/spec.ts matches spec/openapi.yaml (run `pnpm generate` when this fails)', () => {
    expect(generated('spec.ts')).toBe(renderSpecModule(yamlText));
  });

  it('src/generated/validators.js and .d.ts match spec/openapi.yaml (run `pnpm generate` when this fails)', async () => {
    expect(generated('validators.js')).toBe(await renderValidatorsModule(yamlText));
    expect(generated('validators.d.ts')).toBe(renderValidatorsDeclarations());
  });

  it('the compiled validators import nothing and never evaluate code, so they run on edge runtimes', () => {
    const code = generated('validators.js');
    expect(code).not.toMatch(/^\s*import\b/m);
    expect(code).not.toMatch(/\bimport\s*\(/);
    // `.code = 'require("ajv/…")'` strings are Ajv's own annotations; a call is something else.
    expect(code.replace(/'require\("[^"]+"\)[^']*'/g, '')).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/\bnew\s+Function\b|\beval\s*\(/);
  });
});
