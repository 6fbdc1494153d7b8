/**
 * Compiles the request validators of every operation in ../../spec/openapi.yaml ahead of time, into
 * src/generated/validators.js (with its declarations in validators.d.ts).
 *
 * Ajv compiles a schema by generating JavaScript and running it with `new Function`, which edge
 * runtimes (Vercel Edge, Cloudflare Workers) forbid. Here Ajv runs at `pnpm generate` time instead:
 * its standalone output is plain code, and esbuild bundles into it the few helpers it `require`s
 * (`ajv/dist/runtime/*`, `ajv-formats/dist/formats`), so the module imports nothing and Ajv is not
 * needed at run time. A new operation in the spec gets its validators by running `pnpm generate`;
 * `test/http-spec-drift.test.ts` fails when the committed files no longer match the YAML.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { buildRoutes, type SpecParameter } from '../src/http/routes.js';

const root = new URL('..', import.meta.url);
const requireHere = createRequire(import.meta.url);
const SPEC_ID = 'https://aivah.dev/openapi.json';
const LOCATIONS = ['path', 'query', 'header'] as const;

type AnyRecord = Record<string, any>;

function createAjv(coerceTypes: boolean, components: unknown, standalone = true): InstanceType<typeof Ajv2020> {
  // strict: false because OpenAPI schemas carry `example` and other annotations Ajv does not know.
  const code = standalone ? { source: true, esm: true, lines: true } : {};
  const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes, validateSchema: false, code });
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, components } as object);
  return ajv;
}

/** Points the spec's document-relative `$ref`s at the registered spec, for schemas compiled on their own. */
function absoluteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absoluteRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${SPEC_ID}${v}` : absoluteRefs(v)]),
  );
}

function locationSchema(parameters: SpecParameter[], where: SpecParameter['in']): object {
  const own = parameters.filter((p) => p.in === where);
  return {
    type: 'object',
    properties: Object.fromEntries(own.map((p) => [p.name, absoluteRefs(p.schema)])),
    // A missing Idempotency-Key has its own code (IDEMPOTENCY_KEY_MISSING), checked by the pipeline
    // once the account is known; the schema still checks the key's format when it is sent.
    required: own.filter((p) => p.required && p.name !== 'Idempotency-Key').map((p) => p.name),
  };
}

/** A JavaScript identifier for a schema `$ref` such as `#/components/schemas/ConsumeRequest`. */
function bodyExportName(ref: string): string {
  return `body_${ref.replace(/^#\/components\/schemas\//, '').replace(/[^A-Za-z0-9_$]/g, '_')}`;
}

/**
 * The same validators compiled by Ajv in this process, as the handler did at run time before they
 * were generated: the reference the generated code is tested against.
 */
export function compileAtRunTime(yamlText: string): Record<string, Record<'path' | 'query' | 'header' | 'body', ((data: unknown) => boolean) & { errors?: unknown } | null>> {
  const document = parse(yamlText);
  const paramAjv = createAjv(true, document.components, false);
  const bodyAjv = createAjv(false, document.components, false);
  return Object.fromEntries(
    buildRoutes(document).map((route) => [
      route.operationId,
      {
        ...Object.fromEntries(LOCATIONS.map((where) => [where, paramAjv.compile({ $id: `${SPEC_ID}/${route.operationId}/${where}`, ...locationSchema(route.parameters, where) })])),
        body: route.bodyRef ? bodyAjv.compile({ $ref: `${SPEC_ID}${route.bodyRef}` }) : null,
      } as Record<'path' | 'query' | 'header' | 'body', ((data: unknown) => boolean) | null>,
    ]),
  );
}

/** Ajv's standalone module for the parameters (coerced: query strings are text) and for the bodies. */
function standaloneModules(document: AnyRecord): { params: string; bodies: string; table: string } {
  const routes = buildRoutes(document);
  const paramAjv = createAjv(true, document.components); // "10" in a query string counts as the integer 10
  const bodyAjv = createAjv(false, document.components);
  const paramExports: Record<string, string> = {};
  const bodyExports: Record<string, string> = {};
  const rows: string[] = [];
  for (const route of [...routes].sort((a, b) => a.operationId.localeCompare(b.operationId))) {
    for (const where of LOCATIONS) {
      const id = `${SPEC_ID}/${route.operationId}/${where}`;
      paramAjv.addSchema({ $id: id, ...locationSchema(route.parameters, where) });
      paramExports[`${route.operationId}_${where}`] = id;
    }
    let body = 'null';
    if (route.bodyRef) {
      const name = bodyExportName(route.bodyRef);
      if (!(name in bodyExports)) {
        bodyAjv.addSchema({ $id: `${SPEC_ID}/body/${name}`, $ref: `${SPEC_ID}${route.bodyRef}` });
        bodyExports[name] = `${SPEC_ID}/body/${name}`;
      }
      body = `bodies.${name}`;
    }
    const [path, query, header] = LOCATIONS.map((where) => `params.${route.operationId}_${where}`);
    rows.push(`  ${JSON.stringify(route.operationId)}: { path: ${path}, query: ${query}, header: ${header}, body: ${body} },`);
  }
  return {
    params: standaloneCode(paramAjv, paramExports),
    bodies: standaloneCode(bodyAjv, bodyExports),
    table: [
      "import * as params from 'aivah:params';",
      "import * as bodies from 'aivah:bodies';",
      'export const operationValidators = {',
      ...rows,
      '};',
    ].join('\n'),
  };
}

/** The generated module (validators.js) for a YAML spec document: self-contained ESM, no imports. */
export async function renderValidatorsModule(yamlText: string): Promise<string> {
  const modules = standaloneModules(parse(yamlText));
  const virtual: Record<string, string> = { 'aivah:params': modules.params, 'aivah:bodies': modules.bodies };
  const result = await build({
    stdin: { contents: modules.table, resolveDir: fileURLToPath(root), sourcefile: 'validators-table.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [
      {
        name: 'ajv-standalone-modules',
        setup(plugin) {
          plugin.onResolve({ filter: /^aivah:/ }, (args) => ({ path: args.path, namespace: 'aivah' }));
          plugin.onLoad({ filter: /.*/, namespace: 'aivah' }, (args) => ({ contents: virtual[args.path], resolveDir: fileURLToPath(root), loader: 'js' }));
          // The helpers by package specifier rather than file path: the output (and its drift check)
          // must not depend on where the package manager put them.
          // Ajv's helpers may require packages of their own (fast-deep-equal, fast-uri): resolved
          // from the requiring file, named by specifier.
          plugin.onResolve({ filter: /^[^./]/, namespace: 'aivah' }, (args) => ({ path: args.path, namespace: 'helper', pluginData: requireHere.resolve(args.path) }));
          plugin.onResolve({ filter: /.*/, namespace: 'helper' }, (args) => {
            const file = createRequire(args.pluginData as string).resolve(args.path);
            const path = args.path.startsWith('.') ? `${args.importer}/../${args.path}` : args.path;
            return { path, namespace: 'helper', pluginData: file };
          });
          plugin.onLoad({ filter: /.*/, namespace: 'helper' }, (args) => ({
            contents: readFileSync(args.pluginData as string, 'utf8'),
            loader: 'js',
            pluginData: args.pluginData,
          }));
        },
      },
    ],
  });
  const code = result.outputFiles[0]!.text;
  return ['// Generated from spec/openapi.yaml by `pnpm generate` (Ajv standalone code). Do not edit.', '/* eslint-disable */', code].join('\n');
}

/** The declarations (validators.d.ts) of the generated module. */
export function renderValidatorsDeclarations(): string {
  return `// Generated by \`pnpm generate\`. Do not edit.
/** One error of a compiled validator, as Ajv reports it. */
export interface CompiledValidationError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A validator compiled ahead of time: \`true\` when valid, else its \`errors\` say why. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: CompiledValidationError[] | null;
}

/** The validators of one operation: its path, query and header parameters, and its JSON body. */
export interface CompiledOperationValidators {
  path: CompiledValidator;
  query: CompiledValidator;
  header: CompiledValidator;
  body: CompiledValidator | null;
}

/** The validators of every operation of the spec, by operationId. */
export declare const operationValidators: Readonly<Record<string, CompiledOperationValidators>>;
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const yamlText = readFileSync(new URL('../../spec/openapi.yaml', root), 'utf8');
  writeFileSync(new URL('src/generated/validators.js', root), await renderValidatorsModule(yamlText));
  writeFileSync(new URL('src/generated/validators.d.ts', root), renderValidatorsDeclarations());
  console.log('wrote src/generated/validators.js and validators.d.ts');
}
