#!/usr/bin/env node
// `pnpm demo`: builds what the example needs and starts the example server (API + web app on one port).
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';

if (!existsSync(new URL('../examples/server/package.json', import.meta.url))) {
  console.error('pnpm demo: the example server (examples/server) is not built yet; nothing to start.');
  process.exit(1);
}
const run = (args) => {
  const r = spawnSync('pnpm', args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(['turbo', 'run', 'build', '--filter=@aivah/example-server...', '--filter=@aivah/example-web...', '--output-logs=errors-only']);

// Start the server directly (not through another package-manager layer) so that Ctrl-C reaches it
// once, it shuts down cleanly, and its exit code is ours.
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: new URL('../examples/server/', import.meta.url),
  stdio: 'inherit',
});
process.on('SIGINT', () => {}); // the terminal sends it to the server too; wait for its clean exit
process.on('SIGTERM', () => server.kill('SIGTERM'));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
