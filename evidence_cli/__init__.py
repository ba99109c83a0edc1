"""The ``evidence`` command line: thin wrappers over the core packages."""
