/**
 * What the browser tests stand on: the example server on a free port with a fresh embedded
 * database and the checkout emulator, Chromium through playwright-core, and a few helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { createCreditsClient, type CreditsClient } from '@aivah/credits';

export const examplesDir = fileURLToPath(new URL('../..', import.meta.url));
export const screenshotDir = fileURLToPath(new URL('../test-results', import.meta.url));
export const SECRET_KEY = 'sk_e2e_test';

/** Debian's Chromium; CI may point elsewhere. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. Throws in CI: there they must run. */
export function browserUnavailable(): string | null {
  if (existsSync(chromiumPath)) return null;
  const reason = `Chromium not found at ${chromiumPath} (install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH)`;
  if (process.env.CI) throw new Error(`${reason}; the browser tests must run in CI.`);
  console.warn(`Skipping the browser tests: ${reason}.`);
  return reason;
}

export interface RunningServer {
  url: string;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Starts `examples/server` as `pnpm demo` would, but on a free port with a throwaway database. */
export async function startServer(): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aivah-e2e-'));
  // `source`: the workspace packages from their sources, as the web bundle is built, so the test
  // never runs against a stale `dist/`.
  const child: ChildProcess = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: join(examplesDir, 'server'),
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      STRIPE_SECRET_KEY: '',
      CREDITS_SECRET_KEY: SECRET_KEY,
      WEBHOOK_URL: '',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The example server did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /ready: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The example server exited with ${code} before it was ready:\n${output}`));
    });
  });

  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** A fresh headless Chromium (its own temporary profile). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What {@link openSignedInDemo} starts. */
export interface SignedInDemo {
  server: RunningServer;
  /** A server-key client of the same server, to check the screens against the API. */
  credits: CreditsClient;
  browser: Browser;
  context: BrowserContext;
  /** Signed in as the demo user, its balance pill showing. */
  page: Page;
}

/** The example server and a Chromium page at the laptop size, signed in to the demo, as a suite starts them. */
export async function openSignedInDemo(contextOptions: BrowserContextOptions = {}): Promise<SignedInDemo> {
  const server = await startServer();
  const credits = createCreditsClient({ baseUrl: server.url, apiKey: SECRET_KEY });
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, reducedMotion: 'reduce', ...contextOptions });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-testid=balance-pill] .ac-pill-value').filter({ hasText: /Credits$/ }).waitFor();
  return { server, credits, browser, context, page };
}

/** The two sizes every screen is tested at: a laptop and a phone. */
export const VIEWPORTS = [
  { name: 'desktop', width: 1366, height: 850, mobile: false },
  { name: 'mobile', width: 390, height: 844, mobile: true },
] as const;
export type Viewport = (typeof VIEWPORTS)[number];

/**
 * Saves a screenshot of the viewport as `test-results/<size>/<name>.png` (gitignored; CI keeps the
 * folder as an artifact). `fullPage` for long pages.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  const size = page.viewportSize();
  const dir = join(screenshotDir, size ? `${size.width}x${size.height}` : 'other');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false });
  return path;
}

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** axe-core injected into the page: its serious and critical violations, by rule and target. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> };
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<Result> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** Runs a program to completion and returns its exit code and output. */
export function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
