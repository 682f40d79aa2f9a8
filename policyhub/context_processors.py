from django.conf import settings
from django.http import HttpRequest

from . import roles


def site(request: HttpRequest) -> dict:
    """Values every page needs: the service name and whether to show secretariat links."""
    return {
        "site_name": settings.SITE_NAME,
        "user_is_secretariat": roles.is_secretariat(request.user)
        if hasattr(request, "user")
        else False,
    }
