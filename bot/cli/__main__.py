"""``python -m bot.cli`` runs the ``tunemate`` command."""

import sys

from bot.cli.main import main

sys.exit(main())
