"""`python -m shopline.ui`: the window, as main.py starts it (used to open the demo shop in its own window)."""

from shopline.ui.app import main

raise SystemExit(main())
