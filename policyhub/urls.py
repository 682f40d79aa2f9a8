"""Root URLs. Each app owns its URLs under a namespace (see each app's urls.py)."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import views

# The admin signs in through allauth, so its login is rate-limited and verified too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("", include("process.urls")),
    path("working-groups/", include("workinggroups.urls")),
    path("meetings/", include("meetings.urls")),
    path("documents/", include("documents.urls")),
    path("consultations/", include("consultation.urls")),
    path("accounts/profile/", views.ProfileUpdateView.as_view(), name="profile"),
    path("accounts/your-data/", views.YourDataView.as_view(), name="your_data"),
    path("accounts/delete/", views.DeleteAccountView.as_view(), name="delete_account"),
    path("accounts/deleted/", views.AccountDeletedView.as_view(), name="account_deleted"),
    path("accounts/", include("allauth.urls")),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
    path("cookies/", views.CookiesView.as_view(), name="cookies"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("admin/", admin.site.urls),
    # The header's language switcher posts here; the choice is kept in the language cookie.
    path("language/", set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

handler400 = "policyhub.views.bad_request"
handler403 = "policyhub.views.permission_denied"
handler404 = "policyhub.views.page_not_found"
handler500 = "policyhub.views.server_error"
