import sys

from app.agent.schema import _main

sys.exit(_main())
