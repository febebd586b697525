from django.http import HttpResponse
from django.urls import path

app_name = "sampleplugin"
urlpatterns = [path("", lambda request: HttpResponse("sample plugin page"), name="index")]
