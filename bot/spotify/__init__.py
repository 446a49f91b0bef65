"""The Spotify integration: the Web API client (``client``) and the domain service (``service``).

``client`` wraps spotipy (PKCE, token encryption, our own bounded retry honouring
``Retry-After``, the app-wide call budget); ``service`` connects an account, imports its
history into the catalogue's terms and exports a list as a playlist. It may import
``services``, ``store`` and ``recommender``; it never imports ``bot.web``, ``bot.cli``,
``bot.agent`` or ``tools``.
"""
