"""Domain errors that services raise and the API and pages translate into answers."""


class Conflict(Exception):
    """A state change that the object's current status forbids (answered 409)."""
