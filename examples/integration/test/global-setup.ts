/**
 * Once per run: pack the three packages, install the tarballs with npm into two fresh projects
 * under the OS temp dir, and look for Postgres.
 *
 * - `shared`: the packages plus every third-party package the scenarios need (one install for all
 *   of them: Express, pg, React, TanStack Query, Vite, Next.js, TypeScript, the optional peers).
 * - `lean`: only `@aivah/credits-node` (with `@aivah/credits`, which it depends on) and `pg`: the
 *   footprint of a Postgres-only server, and proof that `.` and `/postgres` need nothing else.
 * - `bare`: `@aivah/credits-node` alone, no driver at all: each driver entry must say what to install.
 *
 * `KEEP_INTEGRATION_PROJECT=1` leaves the projects in place to poke at after a failure (the path is
 * printed); `REUSE_INTEGRATION_PROJECT=<that path>` runs the scenarios in them again without packing
 * and installing, while working on a scenario.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { probePostgres, redactUrl, type PostgresProbe } from './harness/postgres.js';
import { formatMs, installProject, makeTempRoot, packPublicPackages, report, THIRD_PARTY } from './harness/project.js';

export interface IntegrationProjects {
  root: string;
  shared: string;
  lean: string;
  bare: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    projects: IntegrationProjects;
    postgres: PostgresProbe;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const reuse = process.env.REUSE_INTEGRATION_PROJECT;
  if (reuse) {
    report('setup', `reusing ${reuse} (no pack, no install)`);
    project.provide('projects', projectsIn(reuse));
    project.provide('postgres', await announcePostgres());
    return () => {};
  }
  const root = makeTempRoot();
  const cleanUp = () => {
    if (process.env.KEEP_INTEGRATION_PROJECT) report('teardown', `kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
  try {
    await prepare(project, root);
  } catch (error) {
    cleanUp();
    throw error;
  }
  return cleanUp;
}

async function prepare(project: TestProject, root: string): Promise<void> {
  const started = performance.now();
  const tarballs = await packPublicPackages(join(root, 'tarballs'));
  report('setup', `pnpm pack of the three packages: ${formatMs(performance.now() - started)}`);

  // One after the other: two npm installs at once on two cores are slower than in turn.
  const shared = await installProject(join(root, 'shared'), tarballs, THIRD_PARTY);
  report('setup', `npm install of the shared project (packages + ${Object.keys(THIRD_PARTY.dependencies).length + Object.keys(THIRD_PARTY.devDependencies).length} third-party): ${formatMs(shared.installMs)}`);
  const lean = await installProject(join(root, 'lean'), { '@aivah/credits': tarballs['@aivah/credits'], '@aivah/credits-node': tarballs['@aivah/credits-node'] }, { dependencies: { pg: THIRD_PARTY.dependencies.pg } });
  report('setup', `npm install of the lean project (@aivah/credits-node + pg): ${formatMs(lean.installMs)}`);
  const bare = await installProject(join(root, 'bare'), { '@aivah/credits': tarballs['@aivah/credits'], '@aivah/credits-node': tarballs['@aivah/credits-node'] }, {});
  report('setup', `npm install of the bare project (@aivah/credits-node alone): ${formatMs(bare.installMs)}`);

  project.provide('projects', projectsIn(root));
  project.provide('postgres', await announcePostgres());
}

function projectsIn(root: string): IntegrationProjects {
  return { root, shared: join(root, 'shared'), lean: join(root, 'lean'), bare: join(root, 'bare') };
}

async function announcePostgres(): Promise<PostgresProbe> {
  const postgres = await probePostgres();
  if (postgres.available) report('setup', `Postgres answers at ${redactUrl(postgres.url)}`);
  else report('setup', `Postgres does not answer at ${redactUrl(postgres.url)} (${postgres.reason}): the Express scenario and the Next.js start will be skipped`);
  return postgres;
}
