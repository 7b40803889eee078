"""Movie night: a group opens a night, members nominate films, the bot adds compromise picks,
a native poll decides, and the winner is announced with its card.

``night`` is the state (the store's session document per chat and topic), ``flow`` what
members do before the vote, ``close`` counting and closing, ``timer`` the clock, ``presses``
the buttons, ``card`` the 🍿 row under film cards, ``render`` the words; ``wiring`` registers
it. This package module imports nothing, so the card renderer can import ``card`` early.
"""
