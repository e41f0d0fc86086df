"""Double-click entry: starts the ShopLine window (the `shopline` command is the headless CLI)."""

import multiprocessing

from shopline.ui.app import main

if __name__ == "__main__":
    # The purchases import's worker processes start as this executable again on Windows and macOS (frozen):
    # freeze_support makes such a start the worker, not a second window.
    multiprocessing.freeze_support()
    raise SystemExit(main())
