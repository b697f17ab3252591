from django.urls import path

from porch.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-out/", views.sign_out, name="logout"),
    path("account/", views.account, name="account"),
    path("account/confirm-password/", views.confirm_password, name="confirm_password"),
    path("account/two-factor/", views.mfa_setup, name="mfa_setup"),
    path("account/two-factor/recovery-codes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/sign-out-elsewhere/", views.sign_out_elsewhere, name="sign_out_elsewhere"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("sign-up/", views.signup_start, name="signup_start"),
    path("sign-up/code/", views.signup_code, name="signup_code"),
    path("sign-up/password/", views.signup_password, name="signup_password"),
    path("sign-up/help/", views.signup_help, name="signup_help"),
]
