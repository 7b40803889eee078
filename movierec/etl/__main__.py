from movierec.etl.pipeline import main

raise SystemExit(main())
