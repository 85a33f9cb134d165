"""``python -m prepmodel`` runs the ``prep`` command."""

if __name__ == "__main__":
    from prepmodel.cli.app import main

    main()
