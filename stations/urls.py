from django.urls import path, re_path

from stations import views

app_name = "stations"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:station_id>/confirm/", views.confirm, name="confirm"),
    path("<int:station_id>/status/", views.set_status, name="status"),
    path("<int:station_id>/poster/", views.poster, name="poster"),
    path("<int:station_id>/qr.svg", views.station_qr, name="qr"),
    re_path(r"^scan/(?P<station_id>\d+)/(?P<code>[A-Za-z0-9]{4,40})/$", views.scan, name="scan"),
    path("visits/<int:visit_id>/credit/", views.credit_visit, name="credit_visit"),
    path("party/", views.my_party, name="party"),
    path("party/registry/", views.registry, name="registry"),
    re_path(r"^party/registry/report-ins\.(?P<fmt>csv|xlsx)$", views.registry_export, name="registry_export"),
]
