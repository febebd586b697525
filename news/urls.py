from django.urls import path

from news import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", feeds.NewsFeed(), name="feed"),
    path("feed/atom/", feeds.AtomNewsFeed(), name="feed_atom"),
    path("sections/<slug:slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("sections/<slug:slug>/feed/atom/", feeds.AtomSectionFeed(), name="section_feed_atom"),
    path("<path:rest>", views.page, name="page"),
]
