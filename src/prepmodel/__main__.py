"""``python -m prepmodel`` runs the ``prep`` command."""

from prepmodel.cli.app import main

main()
