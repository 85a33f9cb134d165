"""The ``prep`` command: argument parsing, exit codes, files written atomically (``app``)."""
