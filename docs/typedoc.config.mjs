// @ts-check
// The API reference of the three public packages plus the guides, as one static site in docs/site.
// Warnings are errors: an undocumented export, a broken {@link} or a guide link that does not resolve
// fails `pnpm run docs`.
import { OptionDefaults } from 'typedoc';

/** Tags the generated OpenAPI types (openapi-typescript) use on top of TypeDoc's defaults. */
const blockTags = [...OptionDefaults.blockTags, '@description', '@constant'];

/** The guides also show SQL and sample output. */
const highlightLanguages = [...OptionDefaults.highlightLanguages, 'sql', 'text'];

/** The public packages: every export of theirs must be documented. */
const packages = ['@aivah/credits', '@aivah/credits-react', '@aivah/credits-node'];

/** Every check on: an export nobody documented or a link that does not resolve fails the build. */
const validation = { notExported: true, invalidLink: true, invalidPath: true, rewrittenLink: true, notDocumented: true, unusedMergeModuleWith: true };

/** @type {Partial<import('typedoc').TypeDocOptions>} */
const config = {
  name: 'Aivah Credits',
  entryPointStrategy: 'packages',
  entryPoints: ['../packages/sdk', '../packages/react', '../packages/node'],
  packageOptions: {
    // `.` → src/index.ts for each package; `./testing` of @aivah/credits-node → src/testing.ts;
    // `./raw` of @aivah/credits → src/raw.ts.
    entryPoints: ['src/@(index|testing|raw).ts'],
    blockTags,
    excludePrivate: true,
    excludeInternal: true,
    disableSources: true,
    // Members inherited from Node's own types (e.g. IncomingMessage) would bring @types/node's
    // comments, whose relative links point into the Node docs site, not ours.
    excludeExternals: true,
    validation,
    packagesRequiringDocumentation: packages,
  },
  blockTags,
  highlightLanguages,
  plugin: ['./typedoc-generated-types.mjs'],
  packagesRequiringDocumentation: packages,
  // The guides (README.md is the site's front page, not a second document).
  projectDocuments: ['./!(README).md'],
  readme: './README.md',
  out: './site',
  disableSources: true,
  hideGenerator: true,
  treatWarningsAsErrors: true,
  validation,
};

export default config;
