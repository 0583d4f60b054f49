"""Views of the application process."""

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def antrag_placeholder(request):
    return render(request, "antraege/placeholder.html")
