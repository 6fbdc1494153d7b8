import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isDriverMissing, loadDriver, MissingDriverError } from './optional-driver.js';

const requireHere = createRequire(import.meta.url);

describe('loadDriver', () => {
  it('turns an ESM import of a package that is not installed into one error naming the package to install', async () => {
    const error = await loadDriver('postgres', 'aivah-absent-driver', () => import('aivah-absent-driver' as string)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingDriverError);
    expect((error as Error).message).toBe('@aivah/credits-node/postgres needs the "aivah-absent-driver" package: npm install aivah-absent-driver');
    expect((error as MissingDriverError).driver).toBe('aivah-absent-driver');
    expect(((error as Error).cause as { code: string }).code).toBe('ERR_MODULE_NOT_FOUND');
  });

  it('does the same for a CommonJS require (the CJS build), scoped package names included', async () => {
    const error = await loadDriver('pglite', '@aivah/absent-driver', async () => requireHere('@aivah/absent-driver')).catch((e: unknown) => e);
    expect((error as Error).message).toBe('@aivah/credits-node/pglite needs the "@aivah/absent-driver" package: npm install @aivah/absent-driver');
  });

  it('passes through a driver that is installed but fails, or misses a dependency of its own', async () => {
    const broken = new Error('boom');
    await expect(loadDriver('stripe', 'stripe', () => Promise.reject(broken))).rejects.toBe(broken);
    const ownDependency = await loadDriver('postgres', 'pg', async () => requireHere('pg-absent-dependency')).catch((e: unknown) => e);
    expect(ownDependency).not.toBeInstanceOf(MissingDriverError);
    expect(isDriverMissing(ownDependency, 'pg')).toBe(false);
    expect(isDriverMissing(ownDependency, 'pg-absent-dependency')).toBe(true);
  });

  it('returns the module of an installed driver', async () => {
    const module = await loadDriver('postgres', 'pg', () => import('pg'));
    expect(typeof module.default.Pool).toBe('function');
  });
});
