"""The frozen `shopline` command's entry script (build.spec); kept outside the package so that
PyInstaller's search path never holds shopline/ itself, where secrets.py would shadow the stdlib's."""

from shopline.cli import main

raise SystemExit(main())
