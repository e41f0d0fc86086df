"""Double-click entry: starts the ShopLine window (the `shopline` command is the headless CLI)."""

from shopline.ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
