"""Optional live data from TMDB (films after 2017, Spanish titles and posters).

On only with ``TMDB_API_KEY`` or ``TMDB_ACCESS_TOKEN``; without them the bot makes no HTTP call
to TMDB at all. ``settings`` reads the environment, ``client`` talks HTTP (timeouts, breaker,
cache), ``film`` parses TMDB's JSON, ``live`` hooks it into the conversation.
"""
