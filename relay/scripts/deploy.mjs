// `npm run deploy`: deploys the Worker (wrangler creates the D1 database on the first deploy), then applies
// the D1 migrations to it. The two secrets are set separately with `wrangler secret put` (README).
//
// `npm run deploy -- --dry-run --outdir DIR` uploads nothing: wrangler bundles the Worker into DIR and checks the
// configuration, and the migrations are applied to a throwaway local D1 instead of the remote one, so the whole
// deploy is known to build without a Cloudflare account (tests/test_relay_deploy.py runs it).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { wranglerSync } from "./wrangler.mjs";

const args = process.argv.slice(2);
wranglerSync(["deploy", ...args]);
if (args.includes("--dry-run")) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "shopline-relay-dry-run-"));
  // CI=1: apply without asking. wranglerSync exits on a failure; the scratch folder is then left in the temp dir.
  wranglerSync(["d1", "migrations", "apply", "DB", "--local", "--persist-to", scratch], { ...process.env, CI: "1" });
  rmSync(scratch, { recursive: true, force: true });
} else {
  wranglerSync(["d1", "migrations", "apply", "DB", "--remote"]);
}
