// `npm run dev -- ARGS`: npm appends ARGS only at the end of one command, so this forwards --persist-to to
// both steps: the local D1 migrations first, then `wrangler dev ARGS` on the same data.
import { wranglerForeground, wranglerSync } from "./wrangler.mjs";

const args = process.argv.slice(2);
const persist = [];
args.forEach((arg, i) => {
  if (arg === "--persist-to" && i + 1 < args.length) persist.push(arg, args[i + 1]);
  else if (arg.startsWith("--persist-to=")) persist.push(arg);
});

// CI=1: apply without asking, as on a terminal-less machine.
wranglerSync(["d1", "migrations", "apply", "DB", "--local", ...persist], { ...process.env, CI: "1" });
wranglerForeground(["dev", ...args]);
