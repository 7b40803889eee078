"""Finding what people type: text folding, exact lookup, fuzzy search and resolution."""

__all__ = ["calendar", "fuzzy", "keys", "lookup", "matching", "text", "typeahead"]
