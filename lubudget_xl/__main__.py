from lubudget_xl.cli import main

raise SystemExit(main())
