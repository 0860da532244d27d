"""`python -m app`: see app/ui/bootstrap.py for the options."""

import sys

from app.ui.bootstrap import main

if __name__ == "__main__":
    sys.exit(main())
