from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with the smallest costs, so that tests creating many users stay fast."""

    algorithm = "argon2"
    time_cost = 1
    memory_cost = 8
    parallelism = 1
