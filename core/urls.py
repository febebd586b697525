"""Core's public pages: the office's figures (/impact/)."""

from django.urls import path

from core import impact_views

app_name = "core"

urlpatterns = [
    path("", impact_views.public, name="impact"),
]
