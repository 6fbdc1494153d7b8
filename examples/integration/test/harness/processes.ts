/**
 * Child processes for the scenarios: each tool (npm, node, tsc, vite, next) runs in its own process
 * in the temporary project, with a hang guard and its output kept for the failure message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Kills the process (and what it started) after this long. Default 120 s. */
  timeoutMs?: number;
}

/**
 * The environment of a child: ours without the `npm_*` and `pnpm_*` variables and the `NODE_PATH` that
 * pnpm and turbo inject into scripts (an `npm_config_*` left in place would configure the npm we start as if it
 * ran inside the workspace). `NPM_CONFIG_*` set by a person or CI is kept.
 */
export function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('npm_') || key.startsWith('pnpm_') || key.startsWith('PNPM_')) continue;
    if (key === 'NODE_OPTIONS' || key === 'VITEST' || key.startsWith('VITEST_') || key === 'NODE_ENV' || key === 'TEST') continue;
    // pnpm's bin shims point NODE_PATH into the workspace's store: a `require()` in the fresh project
    // would find packages it never installed (a missing driver would look installed).
    if (key === 'NODE_PATH') continue;
    env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  env.NEXT_TELEMETRY_DISABLED = '1';
  env.NO_UPDATE_NOTIFIER = '1';
  return env;
}

/** Runs a command to completion. Never rejects on a non-zero exit: callers assert on `code`. */
export function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Its own process group, so that the hang guard also stops what the tool started (Next.js workers).
    const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const guard = setTimeout(() => stopGroup(child), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(guard);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** What a failed run printed, for an assertion message. */
export function describeRun(what: string, result: RunResult): string {
  const tail = (s: string) => (s.length > 6000 ? `…${s.slice(-6000)}` : s);
  return `${what} exited with ${result.signal ?? result.code}\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`;
}

/** Runs a command and throws with its output unless it exits 0. */
export async function runOk(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(describeRun(`${command} ${args.join(' ')}`, result));
  return result;
}

/** A long-running server process: its output so far, and a way to stop it and what it started. */
export interface Service {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function startService(command: string, args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Service {
  const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopGroup(child, 'SIGTERM');
      const killed = setTimeout(() => stopGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(killed);
    },
  };
}

/** Signals the process group this harness started (by the child's own pid, nothing broader). */
function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** A free loopback port (for tools that take `-p <port>` rather than printing the one they bound). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `probe` resolves true, or throws after `timeoutMs` with what `describe` says. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Timed out after ${timeoutMs} ms: ${describe()}`);
}
