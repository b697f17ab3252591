from django.urls import path

from porch.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/choices/", views.choices, name="choices"),
    path("staff/notifications/", views.staff_deliveries, name="staff_deliveries"),
]
