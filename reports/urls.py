from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/me-too/", views.me_too, name="me_too"),
    path("<int:report_id>/reopen/", views.reopen, name="reopen"),
    path("<int:report_id>/fixed/", views.confirm_fixed, name="confirm_fixed"),
    path("<int:report_id>/work/", views.work, name="work"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("photos/<int:photo_id>/thumbnail/", views.thumbnail, name="photo_thumbnail"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
]
