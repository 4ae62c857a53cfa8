// The Maven build's way into the UI (server/pom.xml runs it with the machine's node):
//   node ui/scripts/maven.mjs build <outDir>   install (npm ci, when the lock file changed), type-check, bundle
//   node ui/scripts/maven.mjs test             install, then the Vitest unit tests
// The bundle is skipped when <outDir> is newer than every source, so a repeated `mvn package` costs nothing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args) {
  execFileSync(command, args, { cwd: ui, stdio: 'inherit' });
}

function ensureInstalled() {
  const hash = createHash('sha256').update(readFileSync(join(ui, 'package-lock.json'))).digest('hex');
  const stamp = join(ui, 'node_modules', '.weft-lock-sha256');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  run(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  writeFileSync(stamp, hash);
}

function newest(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), info.mtimeMs);
}

const [what, outArg] = process.argv.slice(2);
ensureInstalled();
if (what === 'build') {
  if (!outArg) throw new Error('usage: maven.mjs build <outDir>');
  const out = resolve(outArg);
  const sources = ['src', 'index.html', 'package-lock.json', 'vite.config.ts', 'tsconfig.json']
    .map((name) => join(ui, name)).filter(existsSync);
  const built = join(out, 'index.html');
  if (existsSync(built) && statSync(built).mtimeMs > Math.max(...sources.map(newest))) {
    console.log(`weft ui: ${out} is up to date`);
  } else {
    run(process.execPath, [join(ui, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', ui]);
    run(process.execPath, [join(ui, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn',
      '--outDir', out, '--emptyOutDir']);
  }
} else if (what === 'test') {
  run(process.execPath, [join(ui, 'node_modules', 'vitest', 'vitest.mjs'), 'run']);
} else {
  throw new Error(`unknown step '${what}': build or test`);
}
