from __future__ import annotations

from uuid import uuid4

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac

from porch.core.roles import StaffRole
from porch.housing.models import Patch, Person, Tenancy


class ContractorFirm(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Kind(models.TextChoices):
        RESIDENT = "resident", "Resident"
        STAFF = "staff", "Staff"
        CONTRACTOR = "contractor", "Contractor"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    person = models.OneToOneField(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="user")
    firm = models.ForeignKey(ContractorFirm, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    patches = models.ManyToManyField(Patch, blank=True, related_name="staff")
    # Rotating this ends every other session (see _get_session_auth_hash).
    session_stamp = models.UUIDField(default=uuid4, editable=False)
    is_test = models.BooleanField(default=False)
    # Staff: the date data-protection training was last completed.
    training_completed_on = models.DateField(null=True, blank=True)

    class Meta:
        # Staff sign in with their email address in any case: one indexed look-up.
        indexes = [models.Index(Lower("email"), name="accounts_user_email_lower")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="resident") | Q(person__isnull=False),
                name="resident_user_has_person",
            ),
            models.CheckConstraint(
                condition=~Q(kind="contractor") | Q(firm__isnull=False),
                name="contractor_user_has_firm",
            ),
            models.CheckConstraint(
                condition=Q(kind="resident") | Q(person__isnull=True),
                name="only_residents_have_person",
            ),
        ]

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Sessions are bound to the password and the session stamp, so a
        # password change, an MFA change or "sign out everywhere else" ends them.
        key_salt = "porch.accounts.User.session_auth_hash"
        value = f"{self.password}:{self.session_stamp}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def role_names(self) -> list[str]:
        return [StaffRole(grant.role).label for grant in self.role_grants.all()]


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=30, choices=StaffRole.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]


class SignupCode(models.Model):
    """A one-time code sent to contact details already on the housing record."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"
        POST = "post", "Letter"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="signup_codes")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="signup_codes")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["person", "created_at"])]


class ActivationLetter(models.Model):
    """A letter carrying a sign-up code, waiting in the staff print queue."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    signup_code = models.OneToOneField(SignupCode, on_delete=models.CASCADE, related_name="letter")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="activation_letters")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="activation_letters")
    # The PDF holds the code in plain text, so it is deleted once printed.
    pdf = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    printed_at = models.DateTimeField(null=True, blank=True)


class SignupHelpRequest(models.Model):
    """'Can't sign up?': someone asks staff for help. Lands in a staff queue."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    full_name = models.CharField(max_length=200)
    contact = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    tenancy_reference = models.CharField(max_length=30, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
