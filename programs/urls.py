from django.urls import path, re_path

from programs import views

app_name = "programs"
urlpatterns = [
    path("", views.index, name="index"),
    path("feed.ics", views.feed, name="feed"),
    path("me/", views.my_registrations, name="my_registrations"),
    path("<int:program_id>/register/", views.register, name="register"),
    path("<int:program_id>/certificate.pdf", views.certificate, name="certificate"),
    path("registrations/<int:registration_id>/cancel/", views.cancel, name="cancel"),
    path("registrations/<int:registration_id>/qr.svg", views.registration_qr, name="qr"),
    path("registrations/<int:registration_id>/calendar.ics", views.registration_ics, name="ics"),
    path("staff/", views.staff_sessions, name="staff_sessions"),
    path("staff/sessions/<int:session_id>/check-in/", views.check_in, name="check_in"),
    path("staff/sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
    re_path(r"^staff/sessions/(?P<session_id>\d+)/attendance\.(?P<fmt>csv|xlsx)$", views.attendance_export, name="attendance_export"),
]
