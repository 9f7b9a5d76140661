"""``python -m perr_desktop`` and the ``perr-desktop`` command."""

import sys

from perr_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
