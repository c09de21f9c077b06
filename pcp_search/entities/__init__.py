"""Entity tagging: gazetteers, rule patterns, acronym learning and the tagger that finds them in text."""
