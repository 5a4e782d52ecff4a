from modlint.cli import main

raise SystemExit(main())
