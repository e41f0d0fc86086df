"""Bundle benchmark: the frozen app against a bare PySide6 hello-world frozen in the same run.

Run: python bench/bench_bundle.py [--starts N]      (builds twice: about 2-3 minutes; run by hand, not by pytest)
Targets (issue 9): bundle size <= 1.2x the hello-world's, built by the same PyInstaller with the same
excludes (tools/freeze_options.py); the frozen app's start to window <= 2 s (median of N starts).
Both go to bench/out/bundle/, away from dist/. Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "bundle"
sys.path.insert(0, str(ROOT / "tools"))

from build_release import bundle, size_mb  # noqa: E402
from build_release import self_test as time_self_test  # noqa: E402

MAX_RATIO = 1.2
MAX_START = 2.0

HELLO = '''\
import sys

from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv)
label = QLabel("Hello")
label.show()
app.processEvents()
print("window shown", flush=True)
'''

# Frozen with the same options as build.spec: its excludes and its filter on Qt's files.
HELLO_SPEC = '''\
# ruff: noqa
import sys
sys.path.insert(0, {tools!r})
from freeze_options import EXCLUDES, STRIP, keep_data

a = Analysis([{script!r}], excludes=EXCLUDES)
a.datas = [entry for entry in a.datas if keep_data(entry[0])]
exe = EXE(PYZ(a.pure), a.scripts, [], exclude_binaries=True, name="hello", console=False, upx=False, strip=STRIP)
COLLECT(exe, a.binaries, a.datas, name="hello", upx=False, strip=STRIP)
'''


def pyinstaller(spec: Path, dist: Path, work: Path) -> float:
    begin = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(spec)], cwd=ROOT, check=True)
    return time.perf_counter() - begin


def hello_start(exe: Path) -> float:
    begin = time.perf_counter()
    out = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    if "window shown" not in out.stdout:
        raise SystemExit(f"the hello-world did not start: {out.stdout}{out.stderr}")
    return time.perf_counter() - begin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5, help="frozen starts to time (median is reported)")
    args = parser.parse_args(argv)
    hello_dir = OUT / "hello-src"
    hello_dir.mkdir(parents=True, exist_ok=True)
    (hello_dir / "hello.py").write_text(HELLO, encoding="utf-8")
    hello_spec = hello_dir / "hello.spec"
    hello_spec.write_text(HELLO_SPEC.format(tools=str(ROOT / "tools"), script=str(hello_dir / "hello.py")),
                          encoding="utf-8")
    dist, work = OUT / "dist", OUT / "work"

    app_build = pyinstaller(ROOT / "build.spec", dist, work / "app")
    hello_build = pyinstaller(hello_spec, dist, work / "hello")
    app = bundle(dist)
    hello_root = dist / ("hello.app" if sys.platform == "darwin" else "hello")
    hello_exe = hello_root / ("hello.exe" if sys.platform == "win32" else "hello")

    runs = [time_self_test(app.gui) for _ in range(args.starts)]
    if any(run.returncode != 0 or run.to_window is None for run in runs):
        print(runs[-1].output)
        raise SystemExit("the frozen app's self-test failed")
    app_start = statistics.median(run.to_window for run in runs if run.to_window is not None)
    hello_starts = statistics.median(hello_start(hello_exe) for _ in range(args.starts))

    app_mb, hello_mb = size_mb(app.root), size_mb(hello_root)
    ratio = app_mb / hello_mb
    print(f"PyInstaller builds: app {app_build:.0f} s, hello-world {hello_build:.0f} s")
    print(f"bundle size: app {app_mb:.1f} MB, bare PySide6 hello-world {hello_mb:.1f} MB, "
          f"ratio {ratio:.3f} (target <= {MAX_RATIO})")
    print(f"start to window, median of {args.starts}: app {app_start:.2f} s (target <= {MAX_START} s), "
          f"hello-world {hello_starts:.2f} s")
    missed = [name for name, ok in (("size", ratio <= MAX_RATIO), ("start", app_start <= MAX_START)) if not ok]
    print("all targets met" if not missed else f"targets missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
