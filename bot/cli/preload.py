"""What ``tunemate serve`` imports once, before it forks its workers.

With ``--workers N`` the serve process imports the app and its libraries (aiohttp,
langchain, numpy, scipy, sklearn, pydantic) and then forks the workers, so they share those
pages copy-on-write instead of each importing its own copy (about 170 MB a worker).
With the offline chat model the NLU reader is trained here too, once, instead of in every
worker. ``gc.freeze`` moves the objects that exist at that point out of the collector's
sight, so collections in a worker do not write to (and so copy) the shared pages.
"""

from __future__ import annotations

import gc


def preload_app(llm: str) -> None:
    import bot.web.app  # noqa: F401  (imported for its side effect: the modules loaded)

    if llm == "rules":
        from bot.agent.nlu.model import trained

        trained()  # cached per process: the forked workers inherit the trained reader
    gc.collect()
    gc.freeze()
