"""Entity tagging: gazetteers, rule patterns, acronym learning and the spaCy span_ruler tagger."""
