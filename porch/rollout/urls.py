from django.urls import path

from porch.rollout import views

app_name = "rollout"
urlpatterns = [
    path("switches/", views.switches, name="switches"),
    path("switches/<slug:module>/off/", views.switch_off, name="switch_off"),
    path("switches/<slug:module>/on/", views.switch_on, name="switch_on"),
    path("approvals/", views.approvals, name="approvals"),
    path("staff-accounts/", views.staff_accounts, name="staff_accounts"),
    path("staff-accounts/<uuid:code>/", views.staff_account, name="staff_account"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("cohorts/<uuid:code>/", views.cohort, name="cohort"),
    path("cohorts/<uuid:code>/homes/", views.cohort_homes, name="cohort_homes"),
    path("cohorts/<uuid:code>/modules/", views.cohort_module, name="cohort_module"),
    path("cohorts/<uuid:code>/dpia/", views.cohort_dpia, name="cohort_dpia"),
    path("cohorts/<uuid:code>/dpo-sign-off/", views.cohort_sign_off, name="cohort_sign_off"),
    path("cohorts/<uuid:code>/status/", views.cohort_status, name="cohort_status"),
    path("cohorts/<uuid:code>/invitations/", views.cohort_invitations, name="cohort_invitations"),
    path("acceptance-scripts/<uuid:code>/sign-off/", views.script_sign_off, name="script_sign_off"),
    path("approvals/<uuid:code>/", views.decide, name="decide"),
]
