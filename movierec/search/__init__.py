"""Finding what people type: text folding, exact lookup, fuzzy search and resolution."""
