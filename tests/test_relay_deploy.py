"""`npm run deploy` is known to build without a Cloudflare account: its dry run bundles the Worker, checks the
configuration (the D1 binding, the migrations folder) and applies every migration to a throwaway local D1."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from relay_fixtures import QUIET_ENV, RELAY_DIR, ensure_node_modules, node_problem, unavailable

DEPLOY_TIMEOUT = 300


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], Path]:
    problem = node_problem()
    if problem:
        unavailable(problem)
    ensure_node_modules()
    out = tmp_path_factory.mktemp("relay_bundle")
    # No Cloudflare credentials reach it: a dry run must not need them, and must not deploy if they were there.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
    run = subprocess.run(["npm", "run", "--silent", "deploy", "--", "--dry-run", "--outdir", str(out)],
                         cwd=RELAY_DIR, env={**env, **QUIET_ENV}, stdin=subprocess.DEVNULL, capture_output=True,
                         text=True, timeout=DEPLOY_TIMEOUT)
    return run, out


def test_the_deploy_script_builds_the_worker_and_applies_every_migration(dry_run):
    run, out = dry_run
    said = run.stdout + run.stderr
    assert run.returncode == 0, said[-3000:]
    bundle = (out / "index.js").read_text(encoding="utf-8")
    assert "/webhook" in bundle and "/healthz" in bundle and "x-line-signature" in bundle
    assert "env.DB" in said and "--dry-run: exiting now" in said  # the D1 binding is configured; nothing uploaded
    migrations = sorted(p.name for p in (RELAY_DIR / "migrations").glob("*.sql"))
    assert migrations
    for name in migrations:
        assert re.search(rf"{re.escape(name)}\s*│\s*✅", said), f"{name} did not apply:\n{said[-3000:]}"


def test_readme_deploy_steps_are_the_scripts():
    scripts = json.loads((RELAY_DIR / "package.json").read_text(encoding="utf-8"))["scripts"]
    assert scripts["deploy"] == "node scripts/deploy.mjs"
    script = (RELAY_DIR / "scripts" / "deploy.mjs").read_text(encoding="utf-8")
    assert '"d1", "migrations", "apply", "DB", "--remote"' in script  # what the README promises after the deploy
    readme = (RELAY_DIR / "README.md").read_text(encoding="utf-8")
    japanese, english = readme.split("# ShopLine relay (English)")
    for part in (japanese, english):
        assert "npm ci" in part and "npx wrangler login" in part and "npm run deploy" in part
        assert "npx wrangler secret put LINE_CHANNEL_SECRET" in part
        assert "npx wrangler secret put SHOPLINE_RELAY_KEY" in part
        assert "npm run deploy -- --dry-run --outdir" in part
