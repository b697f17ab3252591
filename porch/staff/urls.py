from django.urls import path

from porch.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("tenancies/", views.tenancy_search, name="tenancy_search"),
    path("tenancies/<uuid:code>/", views.tenancy_detail, name="tenancy_detail"),
    path("people/<uuid:code>/audit/", views.person_audit, name="person_audit"),
    path("people/<uuid:code>/view-as/", views.view_as_start, name="view_as_start"),
    path("view-as/end/", views.view_as_stop, name="view_as_end"),
    path("test-residents/", views.test_residents, name="test_residents"),
    path("test-residents/outbox/", views.test_outbox, name="test_outbox"),
    path("letters/", views.letters, name="letters"),
    path("letters/<uuid:code>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("letters/<uuid:code>/printed/", views.letter_printed, name="letter_printed"),
    path("sign-up-help/", views.help_requests, name="help_requests"),
    path("outside-my-patch/", views.break_glass, name="break_glass"),
    path("outside-patch-reviews/", views.break_glass_reviews, name="break_glass_reviews"),
    path("outside-patch-reviews/<uuid:code>/reviewed/", views.break_glass_reviewed, name="break_glass_reviewed"),
]
