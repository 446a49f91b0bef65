"""Application services: what a handler or an agent tool asks for, in domain terms.

``core.Services`` (one per worker) joins the store (Postgres, Redis) with the pure
recommender; ``config`` reads and validates ``config.yaml`` once into frozen settings.
Both the web layer and the agent's tools import from here, downward. This package may import
``store`` and ``recommender`` only: never ``tools`` or anything in ``bot``.
"""
