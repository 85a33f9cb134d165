"""``python -m prepmodel`` runs the ``prep`` command."""

from prepmodel.cli import main

main()
