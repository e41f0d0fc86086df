// `npm run deploy`: deploys the Worker (wrangler creates the D1 database on the first deploy), then applies
// the D1 migrations to it. The two secrets are set separately with `wrangler secret put` (README).
import { wranglerSync } from "./wrangler.mjs";

wranglerSync(["deploy", ...process.argv.slice(2)]);
wranglerSync(["d1", "migrations", "apply", "DB", "--remote"]);
