"""`shopline friends | head`: a reader that stops early is not an error."""

from __future__ import annotations

import subprocess
import sys

from shopline.demo import load_demo


def test_a_closed_pipe_ends_quietly(store):
    load_demo(n=3000, seed=3)  # about 300 KB of listing: far more than a pipe buffers
    child = subprocess.Popen([sys.executable, "-m", "shopline", "--data-dir", str(store), "friends", "--limit", "0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline().startswith(b"U")
    child.stdout.close()
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 0, err
    assert "Traceback" not in err
