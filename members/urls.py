from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.profile, name="profile"),
    path("me/export/", views.export, name="export"),
    path("me/delete/", views.delete, name="delete"),
]
