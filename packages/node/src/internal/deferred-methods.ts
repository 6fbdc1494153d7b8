/**
 * An object whose methods can be called before the object exists: `a.b.c(x)` waits for the target,
 * then calls `target.a.b.c(x)` with `target.a.b` as `this`. For clients whose every method returns
 * a promise (Stripe's), loaded on first use.
 * @module
 */

/** An object walked by property names, down to a method. */
type Walked = Record<PropertyKey, unknown>;

/** `target`'s methods, reachable now, each waiting for `target` before it runs. */
export function deferredMethods<T extends object>(target: Promise<object>): T {
  target.catch(() => {}); // reported by the first call, not as an unhandled rejection
  const at = (path: readonly PropertyKey[]): object =>
    new Proxy(function deferred() {}, {
      get(_, key) {
        // Not a thenable: `await client` and `return client` from an async function must keep it.
        if (key === 'then' || typeof key === 'symbol') return undefined;
        return at([...path, key]);
      },
      async apply(_, __, args: unknown[]) {
        // Each step is a property the caller reached through `T`; a missing one throws, as on the client.
        let owner = (await target) as Walked;
        for (const key of path.slice(0, -1)) owner = owner[key] as Walked;
        const method = owner[path.at(-1)!];
        if (typeof method !== 'function') throw new TypeError(`${path.map(String).join('.')} is not a function of the client`);
        return method.apply(owner, args);
      },
    });
  return at([]) as T;
}
