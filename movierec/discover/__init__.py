"""/descubrir, /azar and /saga: free text to filters, a weighted-rating ranking, sagas.

Pure and synchronous, over the catalog's arrays: ``parse`` reads what people type into a
``query.Query``; the engine holds one ``rank.Ranking`` and one ``saga.Sagas`` and answers
through ``Engine.discover``, ``Engine.draw`` and ``Engine.saga``.
"""

__all__ = ["languages", "parse", "query", "rank", "saga", "vocabulary"]
