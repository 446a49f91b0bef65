"""The HTTP service: the aiohttp app, its route table, handlers, schemas, OpenAPI, auth, errors.

It owns everything a request meets at the edge: parsing and validation (``schemas``), identity
and rate limits (``auth``), the JSON error shape (``errors``), the route table that also feeds
the OpenAPI document (``routes``, ``openapi``), the page's static files and the app factory
with one cleanup context per resource (``app``). Handlers stay thin: validate, call
``services`` (or the agent or Spotify room), serialise. It may import ``bot.agent``,
``bot.spotify``, ``tools``, ``services``, ``store`` and ``recommender``; nothing imports it
except ``bot.cli``.
"""
