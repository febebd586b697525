from django.urls import re_path

from reports.open311 import views

FMT = r"\.(?P<fmt>json|xml)$"

app_name = "open311"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[-a-zA-Z0-9_]{1,40})" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[0-9]{1,12})" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[a-f0-9]{32})" + FMT, views.token, name="token"),
]
