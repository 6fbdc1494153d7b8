import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSpecModule } from '../scripts/generate-spec.js';

describe('generated spec', () => {
  it('src/generated/spec.ts matches spec/openapi.yaml (run `pnpm generate` when this fails)', () => {
    const yamlText = readFileSync(new URL('../../../spec/openapi.yaml', import.meta.url), 'utf8');
    const committed = readFileSync(new URL('../src/generated/spec.ts', import.meta.url), 'utf8');
    expect(committed).toBe(renderSpecModule(yamlText));
  });
});
