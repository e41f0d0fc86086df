from shopline.cli import main

raise SystemExit(main())
