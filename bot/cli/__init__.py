"""The command line: ``tunemate`` (``main``), the commands' shared set-up, eval and the chat client.

``main`` parses arguments and dispatches (serve, db migrate, catalog import/demo, eval, chat);
``setup`` starts the embedded Postgres/Redis where no URL is set, migrates and seeds;
``evaluate`` runs the offline quality evaluation; ``terminal`` is the chat client that talks
to the service over HTTP. It is the top layer: it may import anything below (``bot.web`` to
serve, ``services``, ``store``, ``recommender``), and nothing imports it.
"""
