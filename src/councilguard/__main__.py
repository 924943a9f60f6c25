"""`python -m councilguard` runs the command line."""

from councilguard.cli import main

main()
