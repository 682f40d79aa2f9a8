from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import roles


def site(request: HttpRequest) -> dict:
    """Values every page needs: the service name and whether to show secretariat links.
    The secretariat question is asked only by pages that show such links (it is a query)."""
    return {
        "site_name": settings.SITE_NAME,
        "user_is_secretariat": SimpleLazyObject(
            lambda: roles.is_secretariat(request.user) if hasattr(request, "user") else False
        ),
    }
