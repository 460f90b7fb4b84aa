"""`python -m reflect` runs the same command line as the `reflect` script."""

from reflect.main import main

main()
