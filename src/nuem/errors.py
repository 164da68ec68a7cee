"""Exceptions raised by nuem for invalid user input."""


class NuemInputError(ValueError):
    """An argument is outside its allowed range, of the wrong kind, or unknown.

    The message always names the argument, the offending value and what is allowed.
    """


class NuemUnitWarning(UserWarning):
    """A value is far outside its physical range, typically a unit mistake.

    Example: ``Hypothesis(mu=1e-11)`` without ``*mu_B`` is 1.7e-4 mu_B. The message says what the
    value means in the intended unit and how to write it.
    """
