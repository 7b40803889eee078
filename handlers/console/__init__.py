"""Console mode: the same Application and handlers, fed from a terminal instead of Telegram.

``chat`` runs the loop, ``offline`` is the in-process Bot API it talks to, ``updates`` builds
the Update JSON Telegram would send.
"""
