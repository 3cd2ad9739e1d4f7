"""
How a send fails, in the words every provider uses (the channels, the SMS gateways):
TemporaryFailure for what may work later (retried with back-off), PermanentFailure for
what never will. Its own module, below both ``channels`` and ``sms``: a gateway raises
them and a channel uses a gateway, so neither package imports the other round.
"""


class TemporaryFailure(Exception):
    """The send failed but may succeed later (a gateway's 500, a timeout)."""


class PermanentFailure(Exception):
    """The send can never succeed for this address; do not retry."""
