"""The chat agent: the langchain agent, its offline model and one conversation turn.

``build`` makes the model (``TUNEMATE_LLM``: the offline ``rules_model`` or
``init_chat_model``) and the ``create_agent`` graph over ``tools.TOOLS``; ``rules_model`` and
``intent`` read English into tool calls; ``conversation`` runs a turn (chat history from
Postgres, the agent, the new messages back). It may import ``tools``, ``services``, ``store``
and ``recommender``; it never imports ``bot.web``, ``bot.cli`` or ``bot.spotify``.
"""
