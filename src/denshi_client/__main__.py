from denshi_client.main import main

raise SystemExit(main())
