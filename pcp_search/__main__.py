"""`python -m pcp_search` runs the CLI."""

from pcp_search.cli import main

main()
