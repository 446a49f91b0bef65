"""tunemate's application: one room per concern, imports pointing one way.

``bot.cli`` (commands, terminal client) → ``bot.web`` (the aiohttp service) →
``bot.agent`` (the langchain agent and its offline model) | ``bot.spotify`` (the Spotify
integration) → ``tools`` → ``services`` → ``store`` → ``recommender``. The contract lives in
``pyproject.toml`` (import-linter) and runs in the test suite.
"""
