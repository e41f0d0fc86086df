// Runs this package's own wrangler with the running Node, after checking Node is new enough for it.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 3)) {
  console.error(`The relay needs Node.js 20.3 or newer (this is ${process.versions.node}).`);
  process.exit(1);
}

const require = createRequire(import.meta.url);
const WRANGLER = path.join(path.dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");

/** Runs wrangler to completion; exits with its status when it fails. */
export function wranglerSync(args, env = process.env) {
  const run = spawnSync(process.execPath, [WRANGLER, ...args], { stdio: ["ignore", "inherit", "inherit"], env });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

/** Runs wrangler in the foreground: signals reach it, and its exit is ours. */
export function wranglerForeground(args) {
  const child = spawn(process.execPath, [WRANGLER, ...args], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
