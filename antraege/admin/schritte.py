"""The Antrag's workflow steps from its admin page: a step with its comment and internal
note, a grant with its amount and budget year, a Rückforderung with its amount, and the
preview of the letter a step would send."""

import copy

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from antraege.selectors import aktionen
from antraege.services import workflow

from .. import ablauf, emails
from ..models import Haushaltsjahr, Status
from .formulare import SchrittForm, fehlertext, ids_mit_praefix
from .mixins import meldung


def bewilligungsjahre(antrag) -> list:
    """The budget years a grant may be booked in: the Antrag's own and, if set up, the year
    of the decision (today), when that is a different one; [] when there is no choice."""
    jahre = [antrag.haushaltsjahr]
    heute = Haushaltsjahr.objects.filter(jahr=timezone.localdate().year, eingerichtet=True).first()
    if heute is not None and heute.pk != antrag.haushaltsjahr_id:
        jahre.append(heute)
    return jahre if len(jahre) > 1 else []


class SchritteMixin:
    """The step endpoint of the Antrag admin (`AntragAufgabe` supplies the shared parts)."""

    def schritte_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:antrag_id>/schritt/",
                view(require_POST(self.schritt)),
                name="antraege_antrag_schritt",
            ),
        ]

    def schritt(self, request, antrag_id):
        """Takes one workflow step through the services; refusals come back as messages.

        With "vorschau" nothing happens yet: the letter the step would send is shown, with a
        button that takes the step with the same values. An internal note goes on the step's
        history row, in the same transaction, and never to the applicant."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        form = SchrittForm(
            request.POST,
            schritte=aktionen.aktionen(antrag=antrag, user=request.user).schritte,
            jahre=bewilligungsjahre(antrag),
        )
        if not form.is_valid():
            self.message_user(
                request,
                fehlertext(form, ids_mit_praefix("schritt", interne_notiz="id_schritt_notiz")),
                messages.ERROR,
            )
            return redirect("admin:antraege_antrag_change", antrag.pk)
        daten = form.cleaned_data
        if daten["ist_vorschau"]:
            return self._brief_vorschau(request, antrag, form)
        nach = daten["schritt"]
        try:
            with transaction.atomic():
                workflow.verwaltungsschritt(
                    antrag=antrag,
                    nach=nach,
                    by=request.user,
                    kommentar=daten["kommentar"],
                    betrag=daten["betrag_wert"],
                    haushaltsjahr=daten["jahr"],
                )
                workflow.interne_notiz_anfuegen(
                    antrag=antrag, by=request.user, notiz=daten["interne_notiz"]
                )
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, meldung(exc), messages.ERROR)
        else:
            self.message_user(
                request, _("Neuer Status: %(status)s") % {"status": Status(nach).label}
            )
            if not antrag.email and nach not in ablauf.STILLE_SCHRITTE:
                self.message_user(
                    request,
                    _(
                        "Dieser Antrag hat keine E-Mail-Adresse: Bitte drucken Sie den Brief "
                        "zum neuen Stand aus und senden Sie ihn per Post."
                    ),
                    messages.WARNING,
                )
        return redirect("admin:antraege_antrag_change", antrag.pk)

    def _brief_vorschau(self, request, antrag, form):
        """The letter of a step before it is taken: the Antrag with the new values, unsaved."""
        daten = form.cleaned_data
        nach = daten["schritt"]
        kopie = copy.copy(antrag)
        kopie.status = nach
        rueckforderung = None
        if nach == Status.BEWILLIGT:
            kopie.bewilligter_betrag = daten["betrag_wert"]
            jahr = daten["jahr"] or antrag.haushaltsjahr
            kopie.nachweis_faellig_am = workflow.monate_spaeter(
                antrag.ende, jahr.nachweis_frist_monate
            )
        elif nach == Status.RUECKFORDERUNG:
            rueckforderung = daten["betrag_wert"]
        brief = emails.status_vorschau(
            antrag=kopie, kommentar=daten["kommentar"], rueckforderung=rueckforderung
        )
        return self._seite(
            request,
            "vorschau.html",
            _("Vorschau: %(schritt)s") % {"schritt": ablauf.knopf(nach)},
            original=antrag,
            nach=nach,
            schritt_name=ablauf.knopf(nach),
            brief=brief,
            weiter=form.weiter(),
            ohne_konto=nach == Status.RUECKFORDERUNG and not settings.RUECKZAHLUNG_IBAN,
        )
