from django.urls import path

from gigs import views

app_name = "gigs"
urlpatterns = [
    path("", views.index, name="index"),
    path("needs/<int:need_id>/", views.need_detail, name="need"),
    path("needs/<int:need_id>/apply/", views.apply, name="apply"),
    path("needs/<int:need_id>/flag/", views.flag, name="flag"),
    path("for-you/", views.recommended, name="recommended"),
    path("me/profile/", views.profile, name="profile"),
    path("me/applications/", views.my_applications, name="my_applications"),
    path("applications/<int:application_id>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:application_id>/work/", views.record_work, name="record_work"),
    path("applications/<int:application_id>/rate/", views.rate, name="rate"),
    path("applications/<int:application_id>/move/", views.move, name="move"),
    path("work/<int:record_id>/confirm/", views.confirm_work, name="confirm_work"),
    path("work/<int:record_id>/dispute/", views.dispute_work, name="dispute_work"),
    path("employer/", views.employer_home, name="employer_home"),
    path("employer/apply/", views.employer_apply, name="employer_apply"),
    path("employer/<int:employer_id>/licence/", views.licence, name="licence"),
    path("employer/<int:employer_id>/needs/new/", views.need_new, name="need_new"),
    path("employer/needs/<int:need_id>/", views.manage_need, name="manage_need"),
    path("employer/needs/<int:need_id>/edit/", views.need_edit, name="need_edit"),
    path("employer/needs/<int:need_id>/action/", views.need_action, name="need_action"),
    path("guidance/", views.guidance, name="guidance"),
    path("guidance/<int:slot_id>/book/", views.book, name="book"),
    path("guidance/bookings/<int:booking_id>/cancel/", views.cancel_booking, name="cancel_booking"),
]
