"""Build the release bundle with PyInstaller, then prove it starts.

    python tools/build_release.py              # build dist/ShopLine (dist/ShopLine.app on macOS), then test it
    python tools/build_release.py --no-build   # only test an existing bundle

After the build it runs the frozen app's --self-test offscreen and the frozen CLI's
--version, and prints the bundle's size and the app's start-to-window time.
Exits non-zero if either run fails. The installers are made from the tested bundle:
packaging/windows/shopline.iss (Inno Setup), and the .app is the bundle on macOS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SELF_TEST_TIMEOUT = 120  # seconds; a hung window must fail the release, not hang it


@dataclass(frozen=True)
class Bundle:
    root: Path  # what gets shipped: the folder, or the .app
    gui: Path
    cli: Path


def bundle(dist: Path) -> Bundle:
    exe = ".exe" if sys.platform == "win32" else ""
    if sys.platform == "darwin":
        folder = dist / "ShopLine.app" / "Contents" / "MacOS"
        return Bundle(dist / "ShopLine.app", folder / "ShopLine", folder / "shopline-cli")
    cli = "shopline" if sys.platform.startswith("linux") else "shopline-cli"  # as build.spec names it
    return Bundle(dist / "ShopLine", dist / "ShopLine" / f"ShopLine{exe}", dist / "ShopLine" / f"{cli}{exe}")


def build(spec: Path, dist: Path, work: Path) -> float:
    begin = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(dist),
                    "--workpath", str(work), str(spec)], cwd=ROOT, check=True)
    return time.perf_counter() - begin


def size_mb(path: Path) -> float:
    # Symlinks (the .app links Resources into Frameworks) are counted once, as their targets.
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 1e6


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str
    to_window: float | None  # seconds from launch to the "window shown" line, if it came


def self_test(gui: Path, marker: str = "window shown") -> Run:
    """Launch the frozen app's self-test offscreen, timing it up to the line that says the window is up."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    begin = time.perf_counter()
    proc = subprocess.Popen([str(gui), "--self-test"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, encoding="utf-8", errors="replace", env=env)
    lines, to_window = [], None
    assert proc.stdout is not None
    for line in proc.stdout:
        if to_window is None and line.strip() == marker:
            to_window = time.perf_counter() - begin
        lines.append(line)
    try:
        returncode = proc.wait(timeout=SELF_TEST_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        returncode = -1
    return Run(returncode, "".join(lines), to_window)


def cli_version(cli: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(cli), "--version"], capture_output=True, text=True, timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="test the bundle already in --dist")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    args = parser.parse_args(argv)

    if not args.no_build:
        print(f"built in {build(ROOT / 'build.spec', args.dist, args.work):.0f} s", flush=True)
    target = bundle(args.dist)
    failures = []

    run = self_test(target.gui)
    print(run.output, end="")
    if run.returncode != 0:
        failures.append(f"the frozen app's self-test exited with {run.returncode}")
    version = cli_version(target.cli)
    print(f"$ {target.cli.name} --version\n{version.stdout}{version.stderr}", end="")
    if version.returncode != 0 or not version.stdout.startswith("ShopLine "):
        failures.append(f"the frozen CLI's --version exited with {version.returncode}")

    window = f"{run.to_window:.2f} s" if run.to_window is not None else "never"
    print(f"bundle: {target.root} {size_mb(target.root):.0f} MB; start to window: {window}")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
