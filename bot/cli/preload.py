"""What ``tunemate serve`` imports once, before it forks its workers.

With ``--workers N`` the serve process imports the app and its libraries (aiohttp,
langchain, numpy, scipy, sklearn, pydantic) and then forks the workers, so they share those
pages copy-on-write instead of each importing its own copy (about 170 MB a worker).
``gc.freeze`` moves the objects that exist at that point out of the collector's sight, so
collections in a worker do not write to (and so copy) the shared pages.
"""

from __future__ import annotations

import gc


def preload_app() -> None:
    import bot.web.app  # noqa: F401  (imported for its side effect: the modules loaded)

    gc.collect()
    gc.freeze()
