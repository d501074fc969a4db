"""How passwords are stored: Argon2id at OWASP's recommended minimum.

OWASP's Password Storage Cheat Sheet lists Argon2id first, with 19 MiB of memory, 2
passes and 1 lane as the least it should be given. That costs about 25 ms per sign-in
here, against about 350 ms for PBKDF2 at Django 6's 1.5 million iterations, which a burst
of sign-ins (a meeting that starts at 6 pm) queued behind on two cores. Memory-hardness,
not time, is what slows an attacker's GPUs down. A password stored with PBKDF2 (or with
other Argon2 settings) still signs in and is stored again with these at that moment.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (Argon2id) with OWASP's minimum settings."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
