from django.urls import path, re_path

from volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.index, name="index"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("verify/<str:number>/", views.verify, name="verify"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("me/", views.me, name="me"),
    path("me/hours/", views.my_hours, name="my_hours"),
    path("me/hours/report/", views.self_report, name="self_report"),
    path("me/hours/<int:entry_id>/correction/", views.correction, name="correction"),
    path("me/profile/", views.profile, name="profile"),
    path("me/certificates/", views.certificates, name="certificates"),
    path("me/certificates/<int:certificate_id>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("shifts/<int:shift_id>/sign-up/", views.sign_up, name="sign_up"),
    path("shifts/<int:shift_id>/team/", views.team_sign_up, name="team_sign_up"),
    path("signups/<int:signup_id>/withdraw/", views.withdraw, name="withdraw"),
    path("signups/<int:signup_id>/qr.svg", views.signup_qr, name="qr"),
    path("signups/<int:signup_id>/check-out/", views.check_out, name="check_out"),
    re_path(r"^check-in/(?P<code>[A-Za-z0-9-]{4,40})/$", views.shift_check_in, name="shift_check_in"),
    path("staff/shifts/<int:shift_id>/", views.staff_shift, name="staff_shift"),
    path("staff/shifts/<int:shift_id>/poster.svg", views.shift_poster_qr, name="shift_qr"),
]
