from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from core import health, jsi18n
from core import views as core_views
from facilitation.views import dashboard
from journal.sitemaps import SITEMAPS

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("", include("facilitation.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("studio/", include("programmes.studio_urls")),
    path("preview/", core_views.preview, name="preview"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "jsi18n/<str:language>/<str:version>.js",
        jsi18n.javascript_catalogue,
        name="javascript_catalogue",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("admin/", admin.site.urls),
    path("", include("notifications.urls")),
    path("", include("programmes.urls")),
    path("", include("journal.urls")),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
