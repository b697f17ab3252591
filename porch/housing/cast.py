"""The names of the demo cast: the block everyone in the README lives in, and the demo
logins' addresses. Kept here, below every module, so each module's own demo records
(Module.demo) can find the cast without importing the seeder above it."""

DEMO_DOMAIN = "demo.porch.test"

CAST_BLOCK = "Ashdown House"
CAST_ESTATE = "Ashdown Estate"
CAST_STREET = "Ashdown Road"
CAST_TOWN = "Manchester"
CAST_POSTCODE = "M14 5TQ"


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"
