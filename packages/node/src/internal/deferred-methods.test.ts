import { describe, expect, it } from 'vitest';
import { deferredMethods } from './deferred-methods.js';

interface Client {
  sessions: { create(name: string): Promise<string>; count(): Promise<number> };
}

function makeClient(): Client & { sessions: { names: string[] } } {
  return {
    sessions: {
      names: [],
      async create(name) {
        this.names.push(name);
        return `cs_${name}`;
      },
      async count() {
        return this.names.length;
      },
    },
  };
}

describe('deferredMethods', () => {
  it('lets nested methods be called before the target exists, then runs them on it with the right `this`', async () => {
    let resolve!: (client: object) => void;
    const client = deferredMethods<Client>(new Promise((r) => (resolve = r)));
    const created = client.sessions.create('a');
    const real = makeClient();
    resolve(real);
    expect(await created).toBe('cs_a');
    expect(await client.sessions.count()).toBe(1);
    expect(real.sessions.names).toEqual(['a']);
  });

  it('is not a thenable, so awaiting or returning it from an async function keeps the client', async () => {
    const client = deferredMethods<Client>(Promise.resolve(makeClient()));
    const returned = await (async () => client)();
    expect(returned).toBe(client);
    expect(await returned.sessions.create('b')).toBe('cs_b');
  });

  it('fails each call with the target’s error, without an unhandled rejection when nothing is called', async () => {
    const missing = new Error('npm install stripe');
    const client = deferredMethods<Client>(Promise.reject(missing));
    await new Promise((r) => setTimeout(r, 10)); // an unhandled rejection would fail the run here
    await expect(client.sessions.create('c')).rejects.toBe(missing);
  });

  it('names a path that is not a method of the target', async () => {
    const client = deferredMethods<{ sessions: { nope(): Promise<void> } }>(Promise.resolve(makeClient()));
    await expect(client.sessions.nope()).rejects.toThrow('sessions.nope is not a function of the client');
  });
});
