import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = new URL('../src/', import.meta.url);

/** `never`, or a list of it (`never[]`): a cast to it silences every check at the use. */
const isNever = (type: ts.TypeNode): boolean =>
  type.kind === ts.SyntaxKind.NeverKeyword
  || (ts.isArrayTypeNode(type) && isNever(type.elementType))
  || (ts.isParenthesizedTypeNode(type) && isNever(type.type));

/**
 * Each `any` (so `Record<string, any>`, `: any`, `<any>`, `as any`, `any[]`) and each `as never`
 * (or `as never[]`, `<never>x`) in `code`, as `line: text`. Read from the syntax tree, so comments
 * and strings that mention them do not count.
 */
function looseTypes(fileName: string, code: string): string[] {
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node) => {
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    found.push(`${line}: ${node.getText(file)}`);
  };
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) report(node.parent);
    else if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && isNever(node.type)) report(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The server's TypeScript sources: not tests, not the generated spec and validators. */
function sourceFiles(): string[] {
  return readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
    .map((f) => f.replaceAll('\\', '/'))
    .filter((f) => /\.tsx?$/.test(f) && !/\.test(-d)?\.tsx?$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('generated/'))
    .sort();
}

describe('no loose types in packages/node/src', () => {
  it('finds every form of any and as never (never[] too), and nothing in comments, strings or never[]', () => {
    const code = [
      'type A = Record<string, any>;',
      'let b: any;',
      'const c = new Map<any, string>();',
      'const d = b as any;',
      'const e = b as never;',
      'const f = <never>b;',
      'const g: any[] = [];',
      '// a Record<string, any> or `as never` in a comment',
      "const h = 'x as never, y: any';",
      'declare function i(...args: never[]): unknown;',
      'const j = b as unknown;',
      'const k = b as never[];',
    ].join('\n');
    expect(looseTypes('sample.ts', code)).toEqual([
      '1: Record<string, any>',
      '2: b: any',
      '3: new Map<any, string>()',
      '4: b as any',
      '5: b as never',
      '6: <never>b',
      '7: any[]',
      '12: b as never[]',
    ]);
  });

  it('no source file uses any or as never (type it from the spec, the SQL results or the driver instead)', () => {
    const files = sourceFiles();
    expect(files).toContain('ledger/sql/sql-ledger.ts');
    const found = files.flatMap((f) => looseTypes(f, readFileSync(new URL(f, srcDir), 'utf8')).map((hit) => `src/${f}:${hit}`));
    expect(found).toEqual([]);
  });
});
