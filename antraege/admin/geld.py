"""Money on an Antrag's admin page: a payout confirmed by one person and ordered (or
discarded) by a second, a refund received, what is still owed written off, a changed bank
account confirmed. Every step is a service; a refusal comes back as its message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from antraege.services import workflow
from antraege.services.auszahlung import (
    auszahlung_anordnen,
    auszahlung_feststellen,
    auszahlung_verwerfen,
    bankverbindung_bestaetigen,
)

from ..templatetags.geld import euro
from .formulare import GeldeingangForm, GrundForm, fehlertext, ids_mit_praefix
from .mixins import meldung


class GeldMixin:
    """The money endpoints of the Antrag admin (`AntragAufgabe` supplies the shared parts)."""

    def geld_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                f"<int:antrag_id>/{teil}/",
                view(require_POST(getattr(self, methode))),
                name=f"antraege_antrag_{name}",
            )
            for teil, methode, name in [
                ("auszahlung", "auszahlung", "auszahlung"),
                ("auszahlung/<int:auszahlung_id>/anordnen", "auszahlung_anordnen",
                 "auszahlung_anordnen"),
                ("auszahlung/<int:auszahlung_id>/verwerfen", "auszahlung_verwerfen",
                 "auszahlung_verwerfen"),
                ("rueckzahlung", "rueckzahlung", "rueckzahlung"),
                ("niederschlagung", "niederschlagung", "niederschlagung"),
                ("bankverbindung", "bankverbindung_bestaetigen", "bankverbindung"),
            ]
        ]  # fmt: skip

    def _mit_formular(self, request, antrag, form, schritt, erfolg, feld_id=None):
        """A step whose input is a form: an invalid form, or the service's refusal of a valid
        one, is refused with its messages, each naming its field and linking to it on the
        Antrag's page (`feld_id`); a refusal about the whole step (its state, four eyes) is
        said without a field."""
        if form.is_valid():
            try:
                schritt(form.cleaned_data)
            except PermissionDenied as exc:
                self.message_user(request, meldung(exc), messages.ERROR)
                return redirect("admin:antraege_antrag_change", antrag.pk)
            except ValidationError as exc:
                felder = getattr(exc, "error_dict", {})
                if felder and set(felder) <= set(form.fields):
                    form.add_error(None, exc)
                else:
                    form.add_error(None, exc.messages)
            else:
                self.message_user(request, erfolg() if callable(erfolg) else erfolg)
                return redirect("admin:antraege_antrag_change", antrag.pk)
        self.message_user(request, fehlertext(form, feld_id), messages.ERROR)
        return redirect("admin:antraege_antrag_change", antrag.pk)

    def _geldeingang(self, request, antrag_id, service, erfolg, praefix):
        """Amount, date and bank reference from the form, booked by `service`."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        form = GeldeingangForm(request.POST)
        return self._mit_formular(
            request,
            antrag,
            form,
            lambda daten: service(antrag=antrag, by=request.user, **daten),
            lambda: erfolg % {"betrag": euro(form.cleaned_data["betrag"])},
            ids_mit_praefix(praefix),
        )

    def auszahlung(self, request, antrag_id):
        """Step one of a payout: confirmed as sachlich und rechnerisch richtig."""
        return self._geldeingang(
            request,
            antrag_id,
            auszahlung_feststellen,
            _(
                "Auszahlung über %(betrag)s als sachlich und rechnerisch richtig "
                "festgestellt. Eine zweite Person muss sie jetzt anordnen."
            ),
            "auszahlung",
        )

    def _vorgemerkte_auszahlung(self, request, antrag_id, auszahlung_id):
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        return antrag, get_object_or_404(antrag.auszahlungen.all(), pk=auszahlung_id)

    def auszahlung_anordnen(self, request, antrag_id, auszahlung_id):
        """Step two: a second person orders the payout (no input beyond the address)."""
        antrag, auszahlung = self._vorgemerkte_auszahlung(request, antrag_id, auszahlung_id)
        return self._ausfuehren(
            request,
            antrag,
            lambda: auszahlung_anordnen(auszahlung=auszahlung, by=request.user),
            _("Auszahlung über %(betrag)s angeordnet.") % {"betrag": euro(auszahlung.betrag)},
        )

    def auszahlung_verwerfen(self, request, antrag_id, auszahlung_id):
        antrag, auszahlung = self._vorgemerkte_auszahlung(request, antrag_id, auszahlung_id)
        return self._mit_formular(
            request,
            antrag,
            GrundForm(request.POST, max_length=500),
            lambda daten: auszahlung_verwerfen(
                auszahlung=auszahlung, by=request.user, grund=daten["grund"]
            ),
            _("Die vorgemerkte Auszahlung wurde verworfen."),
            lambda name: f"id_verwerfen_{name}_{auszahlung.pk}",
        )

    def rueckzahlung(self, request, antrag_id):
        """A refund asked back has arrived: booked with its date and reference."""
        return self._geldeingang(
            request,
            antrag_id,
            workflow.rueckzahlung_buchen,
            _("Rückzahlung über %(betrag)s gebucht."),
            "rueckzahlung",
        )

    def niederschlagung(self, request, antrag_id):
        """What is still owed of a Rückforderung is written off by a second account."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        return self._mit_formular(
            request,
            antrag,
            GrundForm(request.POST),
            lambda daten: workflow.rueckforderung_niederschlagen(
                antrag=antrag, by=request.user, grund=daten["grund"]
            ),
            _(
                "Die offene Rückforderung ist niedergeschlagen. Der Vorgang kann abgeschlossen "
                "werden."
            ),
            ids_mit_praefix("niederschlagung"),
        )

    def bankverbindung_bestaetigen(self, request, antrag_id):
        """A second account confirms a changed bank account (no input beyond the address)."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        return self._ausfuehren(
            request,
            antrag,
            lambda: bankverbindung_bestaetigen(antrag=antrag, by=request.user),
            _("Die neue Bankverbindung ist bestätigt."),
        )
