"""Accounts: signing up, signing in, and the account itself."""

from porch.core.modules import AuditKind, Category, Module, Owner, PersonalModel, Reached, Switch, register

SIGNUP = Switch("signup", "Creating an account")
ACCOUNTS = Category(
    "accounts",
    "Accounts, sign-up and letters",
    "portal account details and sign-up letters (names and addresses)",
)
USER = AuditKind("user", "an account", "accounts", words="your account", reached=Reached.ALONE)
SESSION = AuditKind("session", "a sign-in", "accounts")
ACTIVATION_LETTER = AuditKind("activation_letter", "a sign-up letter", "accounts", words="your sign-up letter")
SIGNUP_HELP_REQUEST = AuditKind("signup_help_request", "a request for help to sign up")

register(
    Module(
        app="accounts",
        name="Accounts",
        switch=SIGNUP,
        personal=(
            # A user reads their own account before their person is known (signing in); a
            # contractor firm's administrator reads their firm's operatives' accounts.
            PersonalModel("accounts.User", Owner.PERSON, "person", reached_by=("id", "firm")),
            PersonalModel("accounts.RoleGrant", Owner.STAFF, "user"),
            PersonalModel("accounts.SignupCode", Owner.TENANCY, "tenancy"),
            PersonalModel("accounts.ActivationLetter", Owner.TENANCY, "tenancy"),
            # From someone who cannot sign in yet: only the front desk reads them.
            PersonalModel("accounts.SignupHelpRequest", Owner.STAFF, "contact"),
        ),
        categories=(ACCOUNTS,),
        audit_kinds=(USER, SESSION, ACTIVATION_LETTER, SIGNUP_HELP_REQUEST),
        pages={
            "accounts:login": "Sign in",
            "accounts:sign_in_code": "Sign in: security code",
            "accounts:logout": "Sign out",
            "accounts:password_reset": "Forgotten password",
            "accounts:password_reset_done": "Forgotten password: email sent",
            "accounts:password_reset_confirm": "Forgotten password: choose a new password",
            "accounts:password_reset_complete": "Forgotten password: password changed",
            "accounts:signup_start": "Sign up: your details",
            "accounts:signup_code": "Sign up: activation code",
            "accounts:signup_password": "Sign up: choose a password",
            "accounts:signup_help": "Sign up: ask for help",
            "accounts:account": "Your account",
            "accounts:confirm_password": "Confirm your password (before a sensitive action)",
            "accounts:mfa_setup": "Set up two-factor authentication",
            "accounts:mfa_recovery_codes": "Two-factor recovery codes",
            "accounts:password_change": "Change your password",
            "accounts:sign_out_elsewhere": "Sign out everywhere else",
        },
    )
)
