"""pcp-search: full-text search and question-answer index over Police and Crime Panel papers."""

__version__ = "0.1.0"
