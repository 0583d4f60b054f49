"""Values every page template needs (the Projektbüro's contact)."""

from django.conf import settings


def portal(request):
    return {
        "projektbuero_email": settings.PROJEKTBUERO_EMAIL,
        "projektbuero_phone": settings.PROJEKTBUERO_PHONE,
    }
