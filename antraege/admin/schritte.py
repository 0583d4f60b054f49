"""The Antrag's workflow steps from its admin page: a step with its comment and internal
note, a grant with its amount and budget year, a Rückforderung with its amount, and the
preview of the letter a step would send."""

import copy
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from antraege.selectors import aktionen
from antraege.services import workflow

from .. import ablauf, emails
from ..models import Finanzierungsquelle, Haushaltsjahr, Status
from .formulare import SchrittForm
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
        """Takes one workflow step through the services.

        With "vorschau" nothing happens yet: the letter the step would send is shown, with a
        button that takes the step with the same values (and one back to the typed values).
        An internal note goes on the step's history row, in the same transaction, and never to
        the applicant. A refused step shows the Antrag's page again with its card open, every
        typed value kept and each error at its field."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        darf = aktionen.aktionen(antrag=antrag, user=request.user)
        moeglich = [s for s in darf.schritte if s not in darf.gesperrt]
        form = SchrittForm(request.POST, schritte=moeglich, jahre=bewilligungsjahre(antrag))
        gewaehlt = request.POST.get("vorschau") or request.POST.get("nach") or ""
        if gewaehlt not in moeglich:
            self.message_user(request, _("Dieser Schritt ist nicht möglich."), messages.ERROR)
            return redirect("admin:antraege_antrag_change", antrag.pk)
        if request.POST.get("zurueck") or not form.is_valid():
            return self._karte_erneut(request, antrag, gewaehlt, form.errors)
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
        except ValidationError as exc:
            felder = _kartenfelder(nach, form)
            return self._karte_erneut(request, antrag, nach, _service_fehler(exc, felder))
        except PermissionDenied as exc:
            return self._karte_erneut(request, antrag, nach, {None: [meldung(exc)]})
        self.message_user(request, _("Neuer Status: %(status)s") % {"status": Status(nach).label})
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

    def _karte_erneut(self, request, antrag, nach, fehler):
        """The Antrag's page again, the card of step `nach` open with the posted values and
        `fehler` ({field or None: [messages]}) at their fields. The page's own form still
        posts to the change URL."""
        anzeige = copy.copy(request)
        anzeige.method = "GET"
        return self.change_view(
            anzeige,
            str(antrag.pk),
            form_url=reverse("admin:antraege_antrag_change", args=[antrag.pk]),
            extra_context={"schritt_eingabe": (nach, request.POST, fehler)},
        )

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
        )


def _service_fehler(exc: ValidationError, felder) -> dict:
    """A service's refusal at the field it names, if the card has that field (a Rückforderung's
    amount is its "rueckforderung"); a refusal of the whole step has no field (None)."""
    if not hasattr(exc, "error_dict"):
        return {None: exc.messages}
    fehler = {}
    for name, liste in exc.error_dict.items():
        ziel = felder.get(name)
        fehler.setdefault(ziel, []).extend(m for e in liste for m in e.messages)
    return fehler


def _kartenfelder(nach, form) -> dict:
    """{name a service uses: the card's field} for the fields the card of `nach` shows."""
    felder = {"kommentar": "kommentar", "interne_notiz": "interne_notiz"}
    if nach == Status.BEWILLIGT:
        felder["betrag"] = "betrag"
        if form.jahre:
            felder["haushaltsjahr"] = "haushaltsjahr"
    if nach == Status.RUECKFORDERUNG:
        felder["betrag"] = "rueckforderung"
    return felder


# The fields a step's card can have (each step shows those it needs).
KARTENFELDER = ["betrag", "haushaltsjahr", "rueckforderung", "kommentar", "interne_notiz"]


@dataclass
class Karte:
    """One step in the "Nächster Schritt" card: its verb, what it does, the fields it needs,
    and after a refused post the typed values and the errors at their fields."""

    nach: str
    verb: str
    erklaerung: str
    mit_brief: bool
    grund: str = ""  # why it cannot be taken now ("" = it can)
    primaer: bool = False
    warnend: bool = False
    kommentar_titel: str = ""
    kommentar_pflicht: bool = False
    betrag: str | None = None  # the grant's amount field, prefilled
    jahre: list = field(default_factory=list)
    rueckforderung: str | None = None  # the Rückforderung's amount field, prefilled
    werte: dict = field(default_factory=dict)
    fehler: list = field(default_factory=list)  # (text, field id)
    offen: bool = False

    def feld_id(self, name: str) -> str:
        return f"id_{self.nach}_{name}"

    @property
    def ids(self) -> dict:
        """The ids of the card's fields (each step's form has its own)."""
        return {name: self.feld_id(name) for name in KARTENFELDER}


def karten(
    *, antrag, darf, erklaerung, betrag_vorschlag, rueckforderung_vorschlag, eingabe=None
) -> list[Karte]:
    """The step cards in the order a person reads them: the main step first, warning steps
    last. `eingabe`: (step, posted values, {field or None: [messages]}) of a refused post."""
    fonds = antrag.finanzierungsquelle == Finanzierungsquelle.AKTIONSRAUMFONDS
    moeglich = [s for s in darf.schritte if s not in darf.gesperrt]
    haupt = ablauf.hauptschritt(antrag.status, moeglich)
    liste = []
    for nach in darf.schritte:
        zustand = ablauf.ZUSTAENDE[nach]
        karte = Karte(
            nach=nach,
            verb=ablauf.knopf(nach, von=antrag.status, fonds=fonds),
            erklaerung=erklaerung(nach),
            mit_brief=nach not in ablauf.STILLE_SCHRITTE,
            grund=darf.gesperrt.get(nach, ""),
            primaer=nach == haupt,
            warnend=zustand.warnend,
            kommentar_titel=ablauf.kommentar_titel(nach),
            kommentar_pflicht=bool(ablauf.kommentar_fehlt(nach)),
            betrag=betrag_vorschlag if nach == Status.BEWILLIGT else None,
            jahre=bewilligungsjahre(antrag) if nach == Status.BEWILLIGT else [],
            rueckforderung=rueckforderung_vorschlag if nach == Status.RUECKFORDERUNG else None,
        )
        if eingabe is not None and eingabe[0] == nach:
            _eingabe_zeigen(karte, eingabe[1], eingabe[2])
        liste.append(karte)
    return sorted(liste, key=lambda k: (not k.primaer, k.warnend, bool(k.grund)))


def _eingabe_zeigen(karte: Karte, daten, fehler: dict) -> None:
    karte.offen = True
    karte.werte = {name: daten.get(name, "") for name in KARTENFELDER}
    if karte.betrag is not None:
        karte.betrag = karte.werte["betrag"]
    if karte.rueckforderung is not None:
        karte.rueckforderung = karte.werte["rueckforderung"]
    titel = {
        "betrag": _("Betrag der Bewilligung"),
        "haushaltsjahr": _("Haushaltsjahr der Bewilligung"),
        "rueckforderung": _("Betrag der Rückforderung"),
        "kommentar": karte.kommentar_titel,
        "interne_notiz": _("Interne Notiz (nur für die Verwaltung)"),
    }
    for name, meldungen in fehler.items():
        for text in meldungen:
            if name in titel:
                karte.fehler.append((f"{titel[name]}: {text}", karte.feld_id(name)))
            else:
                karte.fehler.append((str(text), ""))
