"""Exceptions raised by nuem for invalid user input."""


class NuemInputError(ValueError):
    """An argument is outside its allowed range, of the wrong kind, or unknown.

    The message always names the argument, the offending value and what is allowed.
    """
