from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core import receipt_views
from core.admin_views import admin_js_catalog
from core.api import api_not_found, grouped_urls
from core.plugins import plugins
from core.storage import serve_private
from home import views as home_views

urlpatterns = [
    # Before Wagtail's own (same address, which Wagtail's pages reverse): adds core's catalogue.
    path("admin/jsi18n/", admin_js_catalog),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v3/", grouped_urls(api.urls)),
    # Anything under /api/ that no operation matched (an id that is not a number, a typo) is a
    # problem+json 404, not Wagtail's HTML page, and a POST there is not a CSRF failure page.
    re_path(r"^api/", api_not_found),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    # Without a CSRF token: the switch is on every page, and a token there made every anonymous
    # page unique to its reader (a Set-Cookie and a masked token per answer), so neither the page
    # cache nor a proxy in front could hand out the same bytes. A forged switch changes only the
    # language a visitor reads in; `next` is still checked against the allowed hosts.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("members/", include("members.urls")),
    path("impact/", include("core.urls")),
    path("notify/receipts/tencent/<str:token>/", receipt_views.tencent_receipts, name="tencent_sms_receipts"),
    path("sitemap.xml", sitemap),
    path("search/", home_views.search, name="site_search"),
]

for config in plugins():
    if config.urls:
        urlpatterns.append(path(f"{config.get_url_prefix()}/", include(config.urls)))
    for prefix, module in config.extra_urls:
        urlpatterns.append(path(f"{prefix.strip('/')}/", include(module)))

# Private files on the local disk, by the short-lived signed links their storage writes.
urlpatterns.append(path("private-media/<str:token>/", serve_private, name="private_media"))
if settings.SERVE_MEDIA and not settings.S3:
    # Local media for the embedded setup; production serves media from a proxy or S3. Not
    # documents: Wagtail's /documents/ view serves them after checking the collection's privacy.
    urlpatterns.append(re_path(r"^media/(?!documents/)(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))
# "/" from the page cache before Wagtail's routing (home/views.py); everything else is Wagtail's.
urlpatterns.append(path("", home_views.root, name="home"))
urlpatterns.append(path("", include(wagtail_urls)))
