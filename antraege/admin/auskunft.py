"""The right of access (Art. 15 DSGVO) in the admin: everything stored about one e-mail
address as one ZIP file, for the accounts that see every area, contact data and bank
accounts."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..services import datenschutz
from .formulare import AuskunftForm


def darf_auskunft(user) -> bool:
    return all(
        user.has_perm(f"antraege.{recht}")
        for recht in ("alle_aktionsraeume", "kontaktdaten_sehen", "iban_sehen")
    )


class AuskunftMixin:
    """The access endpoint of the Antrag admin (`AntragAufgabe` supplies the shared parts)."""

    def auskunft_urls(self):
        view = self.admin_site.admin_view
        return [path("auskunft/", view(self.auskunft), name="antraege_antrag_auskunft")]

    def auskunft(self, request):
        """One ZIP of everything about one address; only for `darf_auskunft` accounts."""
        if not darf_auskunft(request.user):
            raise PermissionDenied
        form = AuskunftForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            inhalt, anzahl = datenschutz.auskunft(email=form.cleaned_data["email"])
            response = HttpResponse(inhalt, content_type="application/zip")
            datum = timezone.localdate().isoformat()
            response["Content-Disposition"] = f'attachment; filename="Auskunft-{datum}.zip"'
            response["Cache-Control"] = "private, no-store"
            response["X-Anzahl-Antraege"] = str(anzahl)
            return response
        return self._seite(
            request,
            "auskunft.html",
            _("Auskunft über gespeicherte Daten (Art. 15 DSGVO)"),
            form=form,
        )
