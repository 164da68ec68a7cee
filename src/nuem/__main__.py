"""``python -m nuem`` runs the ``nuem`` command."""

from nuem.cli import main

main()
