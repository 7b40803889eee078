"""Finding what people type: text folding, exact lookup, fuzzy search and resolution."""

__all__ = [
    "calendar",
    "fuzzy",
    "keys",
    "listing",
    "lookup",
    "matching",
    "remembered",
    "text",
    "typeahead",
]
