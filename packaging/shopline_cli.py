"""The frozen `shopline` command's entry script (build.spec); kept outside the package so that
PyInstaller's search path never holds shopline/ itself, where secrets.py would shadow the stdlib's."""

import multiprocessing

from shopline.cli import main

if __name__ == "__main__":
    # A large purchases import parses in worker processes; on Windows and macOS each starts as this
    # executable again, and freeze_support turns that start into the worker instead of a second command.
    multiprocessing.freeze_support()
    raise SystemExit(main())
