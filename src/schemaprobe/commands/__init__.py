"""CLI subcommands that compare specs with a database (``check``, ``diff``).

Kept apart from :mod:`schemaprobe.cli`, which only parses arguments and maps errors to
exit codes, so each command's flow reads top to bottom in one small module.
"""
