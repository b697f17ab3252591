from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at the OWASP minimum: 19 MiB of memory, 2 iterations, 1 lane."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
