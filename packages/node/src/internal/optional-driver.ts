/**
 * Optional peers (pg, PGlite, Stripe) loaded on first use rather than at import, so that an entry
 * used without its driver fails with one error that says what to install, instead of the runtime's
 * "Cannot find package" from inside our bundle. The `import()` of each driver stays a literal in
 * its entry, where bundlers see it.
 * @module
 */

/** The error of an entry used without its driver; `cause` is the runtime's own. */
export class MissingDriverError extends Error {
  override name = 'MissingDriverError';
  /** The package to install, e.g. `pg`. */
  readonly driver: string;

  constructor(entry: string, driver: string, cause: unknown) {
    super(`@aivah/credits-node/${entry} needs the "${driver}" package: npm install ${driver}`, { cause });
    this.driver = driver;
  }
}

const NOT_FOUND_CODES = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/**
 * True when `error` says that `driver` itself cannot be found (Node ESM and CommonJS, and bundlers
 * that mimic them), not one of its own dependencies or a failure inside it.
 */
export function isDriverMissing(error: unknown, driver: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && !NOT_FOUND_CODES.has(code)) return false;
  const quoted = [`'${driver}'`, `"${driver}"`, `'${driver}/`, `"${driver}/`];
  return /Cannot find (package|module)/.test(error.message) && quoted.some((q) => error.message.includes(q));
}

/**
 * Loads the driver of `entry` with `load` (a literal `import('pg')`); throws
 * {@link MissingDriverError} when it is not installed. Other failures pass through unchanged.
 */
export async function loadDriver<T>(entry: string, driver: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw isDriverMissing(error, driver) ? new MissingDriverError(entry, driver, error) : error;
  }
}

/** The CommonJS `module.exports` of a driver, whichever module system imported it. */
export function defaultExport<T>(module: { default?: T } | T): T {
  return ((module as { default?: T }).default ?? module) as T;
}

