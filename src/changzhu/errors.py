"""The base of every error a user can act on: the CLI prints its message as one line, the API as a 4xx body."""


class ChangzhuError(Exception):
    """An error caused by input or environment (bad file, unknown code, unreachable database), not a bug."""
