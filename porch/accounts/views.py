"""Sign-in, two-factor authentication, sudo mode and account settings."""

from __future__ import annotations

import time
import uuid

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.middleware import is_verified

from porch.accounts import access as account_access
from porch.accounts import backends, devices, mfa, signup
from porch.accounts.actors import actor_for_request, actor_for_user
from porch.accounts.forms import (
    CodeForm,
    ConfirmPasswordForm,
    GovukPasswordResetForm,
    GovukSetPasswordForm,
    HelpRequestForm,
    NewPasswordForm,
    SignInForm,
    SignupCodeForm,
    SignupStartForm,
)
from porch.accounts.models import User
from porch.accounts.services import help_request_create, user_end_other_sessions
from porch.accounts.sudo import (
    WRONG_GUESS,
    grant_sudo,
    has_sudo,
    password_refusal,
    sudo_redirect,
    sudo_required,
)
from porch.accounts.types import SignedInRequest
from porch.audit.services import record
from porch.core import ratelimit, rls
from porch.core.routes import PUBLIC, SETTING_UP, SIGNED_IN, SIGNING_OUT, audience, module
from porch.core.types import PorchRequest
from porch.housing.models import normalise_reference

# A code is accepted once (replay protection), so the same code again is refused too.
CODE_NOT_ACCEPTED = (
    "The code is not correct, or it has just been used. Check your app, and if it still shows "
    "the same code, wait for the next one"
)
PENDING_USER = "porch_pending_user"
PENDING_NEXT = "porch_pending_next"
SIGNUP_CODE = "porch_signup_code"
SIGNUP_VERIFIED = "porch_signup_verified"


def _safe_next(request: PorchRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


@audience(PUBLIC)
@rls.answered_by_system
def sign_in(request: PorchRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["username"]
        tried = devices.count_attempt(
            request, "sign_in", user=backends.account_for(name), name=backends.canonical_name(name)
        )
        user = None if tried.wait else authenticate(request, username=name, password=form.cleaned_data["password"])
        if tried.wait:
            form.add_error(None, tried.message)
        elif user is None:
            form.add_error(None, "Enter a correct sign-in name and password")
        else:
            tried.succeeded()
            if not _rollout_open_to(user):
                return render(request, "rollout/not_yet.html", status=403)
            if user_has_device(user):
                request.session[PENDING_USER] = user.pk
                request.session[PENDING_NEXT] = _safe_next(request)
                return redirect("accounts:sign_in_code")
            return _complete_sign_in(request, user, _safe_next(request))
    return render(request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


def _rollout_open_to(user: User) -> bool:
    """Residents sign in only once a pilot cohort that covers their home is open."""
    return user.kind != User.Kind.RESIDENT or actor_for_user(user, verified=False).in_open_cohort


def _complete_sign_in(request: PorchRequest, user: User, target: str, device: object = None) -> HttpResponse:
    login(request, user, backend="porch.accounts.backends.SignInNameBackend")  # rotates the session id
    if device is not None:
        otp_login(request, device)
    request.session["porch_started"] = time.time()
    record(actor=actor_for_request(request), action="sign_in", object_type="session", request=request)
    response = HttpResponseRedirect(target)
    devices.remember(request, response, user)
    return response


@audience(PUBLIC)
@rls.answered_by_system
def sign_in_code(request: PorchRequest) -> HttpResponse:
    user = account_access.user_pending_sign_in(request.session.get(PENDING_USER))
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        tried = devices.count_attempt(request, "mfa", user=user)
        device = None if tried.wait else mfa.verify_code(user, form.cleaned_data["code"])
        if tried.wait:
            form.add_error(None, tried.message)
        elif device is None:
            form.add_error("code", CODE_NOT_ACCEPTED)
        else:
            tried.succeeded()
            target = request.session.pop(PENDING_NEXT, reverse("home"))
            request.session.pop(PENDING_USER, None)
            return _complete_sign_in(request, user, target, device)
    return render(request, "accounts/sign_in_code.html", {"form": form})


@audience(SIGNING_OUT)
@require_POST
def sign_out(request: PorchRequest) -> HttpResponse:
    logout(request)  # the back office ends any view-as session as its user signs out (user_logged_out)
    messages.success(request, "You have signed out.")
    return redirect("accounts:login")


@audience(SIGNED_IN)
def account(request: SignedInRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {"has_mfa": user_has_device(request.user)})


@audience(SIGNED_IN)
@require_POST
@sudo_required
def sign_out_elsewhere(request: SignedInRequest) -> HttpResponse:
    user_end_other_sessions(user=request.user, request=request)
    messages.success(request, "You have been signed out everywhere else.")
    # Other browsers' device cookies end with their sessions; this one is trusted afresh.
    response = redirect("accounts:account")
    devices.remember(request, response, request.user)
    return response


@audience(SIGNED_IN)
def confirm_password(request: SignedInRequest) -> HttpResponse:
    """Sudo mode: confirm the password before a sensitive action."""
    form = ConfirmPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        refusal = password_refusal(request, form.cleaned_data["password"])
        if not refusal:
            grant_sudo(request)
            return HttpResponseRedirect(_safe_next(request, "accounts:account"))
        # A wrong password belongs to the field; "wait and try again" to the whole form.
        form.add_error("password" if refusal == WRONG_GUESS else None, refusal)
    return render(request, "accounts/confirm_password.html", {"form": form, "next": request.GET.get("next", "")})


@audience(SETTING_UP)
def mfa_setup(request: SignedInRequest) -> HttpResponse:
    user = request.user
    # OTPMiddleware gives request.user an is_verified() that is this function on the same user.
    if user_has_device(user) and not is_verified(user):
        logout(request)  # only reachable if a device was added mid-session: sign in again with it
        return redirect("accounts:login")
    if user_has_device(user) and not has_sudo(request):
        return sudo_redirect(request)
    device = mfa.pending_totp_device(user, request.session)
    form = CodeForm(request.POST if request.method == "POST" else None)
    # Recovery codes are made once this step is done: do not mention them yet.
    form.fields["code"].help_text = "The 6-digit code your authenticator app shows now."
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            recovery_codes = mfa.confirm_device(user, device)
            request.session.pop(mfa.PENDING_DEVICE, None)
            otp_login(request, device)
            update_session_auth_hash(request, user)
            request.session["porch_recovery_codes"] = recovery_codes
            return redirect("accounts:mfa_recovery_codes")
        form.add_error("code", "The code is not correct. Check your app and try again")
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    return render(
        request, "accounts/mfa_setup.html", {"form": form, "qr": qr, "secret": mfa.secret_for_display(device)}
    )


@audience(SIGNED_IN)
def mfa_recovery_codes(request: PorchRequest) -> HttpResponse:
    codes = request.session.pop("porch_recovery_codes", None)
    if not codes:
        return redirect("accounts:account")
    return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes})


# --- Passwords ---------------------------------------------------------------


@audience(SIGNED_IN)
def password_change(request: SignedInRequest) -> HttpResponse:
    user = request.user
    form = NewPasswordForm(request.POST if request.method == "POST" else None, user=user)
    current = ConfirmPasswordForm(request.POST if request.method == "POST" else None, prefix="current")
    current.fields["password"].label = "Your current password"
    if request.method == "POST" and current.is_valid() and form.is_valid():
        if not user.check_password(current.cleaned_data["password"]):
            current.add_error("password", "Your current password is not correct")
        else:
            user.set_password(form.cleaned_data["password"])
            user.save(update_fields=["password"])
            update_session_auth_hash(request, user)  # other sessions end: the hash has changed
            messages.success(request, "Your password has been changed. You have been signed out everywhere else.")
            response = redirect("accounts:account")
            devices.remember(request, response, user)  # other browsers' device cookies ended with the old password
            return response
    return render(request, "accounts/password_change.html", {"form": form, "current": current})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        email = request.POST.get("email", "").strip().lower()
        wait = ratelimit.attempt("password_reset", email, address=getattr(request, "client_ip", ""))
        if wait:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, ratelimit.pause_message(wait))
            return self.form_invalid(form)
        # Every request counts, found or not, so the limit reveals nothing either.
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


password_reset = audience(PUBLIC)(rls.answered_by_system(PasswordResetView.as_view(form_class=GovukPasswordResetForm)))
password_reset_done = audience(PUBLIC)(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = audience(PUBLIC)(
    rls.answered_by_system(PasswordResetConfirmView.as_view(form_class=GovukSetPasswordForm))
)
password_reset_complete = audience(PUBLIC)(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)


# --- Sign-up -----------------------------------------------------------------


@audience(PUBLIC)
@module("signup")
@rls.answered_by_system
def signup_start(request: PorchRequest) -> HttpResponse:
    form = SignupStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        started = time.monotonic()
        reference = normalise_reference(form.cleaned_data["reference"])
        wait = ratelimit.attempt("signup", reference, address=request.client_ip)
        if wait:
            form.add_error(None, ratelimit.pause_message(wait))
        else:
            match = signup.find_match(
                reference=form.cleaned_data["reference"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                postcode=form.cleaned_data["postcode"],
            )
            # Every try counts, matched or not: the limit must not reveal a match.
            code = signup.signup_start(match)
            request.session[SIGNUP_CODE] = str(code.uuid) if code else str(uuid.uuid4())
            signup.pad_to_floor(started)
            return redirect("accounts:signup_code")
    return render(request, "accounts/signup_start.html", {"form": form})


@audience(PUBLIC)
@module("signup")
@rls.answered_by_system
def signup_code(request: PorchRequest) -> HttpResponse:
    """The same page whether or not the details matched."""
    if SIGNUP_CODE not in request.session:
        return redirect("accounts:signup_start")
    form = SignupCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        started = time.monotonic()
        wait = ratelimit.attempt("signup_code", request.session[SIGNUP_CODE], address=request.client_ip)
        found = None
        if wait:
            form.add_error(None, ratelimit.pause_message(wait))
        else:
            found = signup.signup_code_check(code_uuid=request.session[SIGNUP_CODE], code=form.cleaned_data["code"])
            signup.pad_to_floor(started)
            if found is None:
                form.add_error(
                    "code", "The code is not correct or has expired. Check it, or start again to get a new code"
                )
            else:
                ratelimit.succeeded("signup_code", request.session[SIGNUP_CODE], address=request.client_ip)
        if found is not None:
            request.session.cycle_key()
            request.session[SIGNUP_VERIFIED] = str(found.uuid)
            return redirect("accounts:signup_password")
    return render(request, "accounts/signup_code.html", {"form": form})


@audience(PUBLIC)
@module("signup")
@rls.answered_by_system
def signup_password(request: PorchRequest) -> HttpResponse:
    code = signup.verified_code(request.session.get(SIGNUP_VERIFIED))
    if code is None:
        return redirect("accounts:signup_start")
    form = NewPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = signup.signup_finish(signup_code=code, password=form.cleaned_data["password"])
        except ValueError:
            return redirect("accounts:signup_start")
        for key in (SIGNUP_CODE, SIGNUP_VERIFIED):
            request.session.pop(key, None)
        messages.success(request, "Your account has been created.")
        record(
            actor=actor_for_user(user, verified=False),
            action="sign_up",
            object_type="user",
            object_id=user.uuid,
            subject_ids=[code.person_id],
            tenancy_id=code.tenancy_id,
            request=request,
        )
        return _complete_sign_in(request, user, reverse("home"))
    return render(
        request,
        "accounts/signup_password.html",
        {"form": form, "sign_in_name": signup.sign_in_name_for(code.person)},
    )


@audience(PUBLIC)
def signup_help(request: PorchRequest) -> HttpResponse:
    form = HelpRequestForm(
        request.POST if request.method == "POST" else None, initial={"idempotency_key": uuid.uuid4()}
    )
    if request.method == "POST" and form.is_valid():
        help_request_create(**form.cleaned_data)
        return render(request, "accounts/signup_help_done.html")
    return render(request, "accounts/signup_help.html", {"form": form})
