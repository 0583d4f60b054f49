"""The application form: start page, the form with its drafts and pending files, the check
page, sending and the confirmation."""

import time
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import EmailValidator
from django.forms.utils import ErrorDict
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from aktionsplan.kern import drosselung, eingaben, seitencache
from antraege.selectors import statusseite
from antraege.services import einreichung
from antraege.services.entwurf import (
    anlage_entfernen,
    anlagen_als_dateien,
    anlagen_vormerken,
    client_schluessel,
    daten_aus_post,
    entwurf_anlegen,
    entwurf_erledigt,
    entwurf_fuer_token,
    entwurf_speichern,
    gueltige_anlagen,
)
from quartiere.models import Aktionsraum

from ..antragsformular import RUNDE, error_summary, formular_verarbeiten, ohne_fehler
from ..forms.antrag import (
    SCHRITT_NAMEN,
    SCHRITTE,
    AntragForm,
    KostenFormSet,
    entwurf_felder,
    kostenrechnung,
    schritt_von,
    zusammenfassung,
)
from ..models import Antrag, Entwurf

SESSION_KEY = "antrag_eingereicht"
SESSION_DOPPELT = "antrag_doppelt"
# Bots: a field that people never see (and leave empty), and when the form was shown, signed.
HONIGTOPF = "webseite"
FORMULAR_START = "formular_start"
# The form's draft: pending uploads and what "später weitermachen" keeps (services/entwurf.py).
ENTWURF_FELD = "entwurf"
_START_SALT = "antraege.formular_start"


def _formular_start(request) -> str:
    """The signed time the form was first shown; kept over round trips while it is valid."""
    gepostet = request.POST.get(FORMULAR_START, "")
    if gepostet and _sekunden_seit(gepostet) is not None:
        return gepostet
    return signing.dumps(int(time.time()), salt=_START_SALT)


def _sekunden_seit(wert: str) -> float | None:
    try:
        return time.time() - float(signing.loads(wert, salt=_START_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


@drosselung.antrag_form
@require_http_methods(["GET", "HEAD", "POST"])
def antrag_form(request):
    if request.method != "POST":
        slug = eingaben.slug(request.GET.get("aktionsraum"))
        # An unknown area in the address is not kept: nobody fills the cache with made-up ones.
        bekannt = "aktionsraum" not in request.GET or (
            bool(slug) and Aktionsraum.objects.fuer_antraege().filter(slug=slug).exists()
        )
        if bekannt and seitencache.teilbar(request, parameter=["aktionsraum"]):
            return _leeres_formular(request)
        form, formset, kontext = _leeres_antrag_formular(request)
        return render_form(request, form, formset, **kontext)
    if request.POST.get(HONIGTOPF):
        # Only a program fills in a field that no person can see: nothing is stored or mailed.
        return render(request, "antraege/abgelehnt.html", status=400)
    return _antrag_verarbeiten(request, request.POST)


def _antrag_verarbeiten(request, data):
    """One post of the public form: a step forward or back, a section to change from the
    check page, keep chosen files or remove one, save for later, show the check page, or
    send. The draft (pending files) is the one of the token the form carries; the values of
    the other steps travel in hidden fields."""
    data, entwurf, token, fehler = entwurf_und_anlagen(request, data)
    seite = {
        "entwurf_token": token,
        "vorlaeufige_anlagen": list(gueltige_anlagen(entwurf)),
        "dateien_bleiben": True,
        # A file refused or expired is said on whichever step comes next (_schritt_zeigen).
        "dateifehler": fehler.get("anlagen", []),
    }
    schritt = data.get("schritt") if data.get("schritt") in SCHRITT_NAMEN else None
    zur_pruefung = "zur_pruefung" in data
    if "spaeter" in data:
        return _spaeter_weitermachen(request, data, entwurf, seite)
    if data.get("fehler_zeigen") in SCHRITT_NAMEN:
        # From the error summary: another step that still has an error, with its errors.
        post = _alles_pruefen(request, data, fehler)
        return _schritt_zeigen(
            request,
            data,
            data["fehler_zeigen"],
            seite,
            form=post.form,
            formset=post.formset,
            fehler_zeigen=True,
            weitere_nennen=True,
            zur_pruefung=zur_pruefung,
        )
    if "aendern" in data:
        # From the check page: "Ändern" of one section, or "Angaben ändern" from the start.
        ziel = data["aendern"]
        if ziel in SCHRITT_NAMEN:
            return _schritt_zeigen(request, data, ziel, seite, zur_pruefung=True)
        return _schritt_zeigen(request, data, SCHRITT_NAMEN[0], seite)
    if schritt and "zurueck" in data and not zur_pruefung:
        vorher = SCHRITT_NAMEN[max(SCHRITT_NAMEN.index(schritt) - 1, 0)]
        return _schritt_zeigen(request, data, vorher, seite)
    if any(name in data for name in RUNDE):
        # A row added, the sums computed, a file removed: the same step, nothing checked.
        schritt = schritt or ("anlagen" if "anlage_entfernen" in data else "kosten")
        post = formular_verarbeiten(
            request, form_class=AntragForm, speichern=_nichts, data=data, dateien={}, fehler=fehler
        )
        return _schritt_zeigen(
            request,
            data,
            schritt,
            seite,
            form=post.form,
            formset=post.formset,
            fehler_zeigen=bool(fehler),
            zur_pruefung=zur_pruefung,
        )
    if schritt and "weiter" in data and not zur_pruefung:
        # This step's answers are checked now; the others when the person gets to them.
        post = _alles_pruefen(request, data, fehler)
        if schritt in fehler_schritte(post.form, post.formset):
            return _schritt_zeigen(
                request,
                data,
                schritt,
                seite,
                form=post.form,
                formset=post.formset,
                fehler_zeigen=True,
            )
        naechster = SCHRITT_NAMEN[min(SCHRITT_NAMEN.index(schritt) + 1, len(SCHRITT_NAMEN) - 1)]
        return _schritt_zeigen(request, data, naechster, seite)
    post = formular_verarbeiten(
        request,
        form_class=AntragForm,
        speichern=partial(_absenden, request, data, entwurf, seite),
        pruefen=partial(_pruefseite, request, data, seite),
        data=data,
        dateien={},
        fehler=fehler,
    )
    if isinstance(post.ergebnis, HttpResponse):
        return post.ergebnis
    if post.ergebnis is not None:
        antrag, neu = post.ergebnis
        request.session.pop(SESSION_DOPPELT if neu else SESSION_KEY, None)
        request.session[SESSION_KEY if neu else SESSION_DOPPELT] = antrag.pk
        return redirect("antraege:eingereicht")
    # Not valid: the step the person is on if it has an error, else the first one that has.
    mit_fehlern = fehler_schritte(post.form, post.formset)
    ziel = schritt if schritt in mit_fehlern else _erster(mit_fehlern) or schritt
    return _schritt_zeigen(
        request,
        data,
        ziel or SCHRITT_NAMEN[0],
        seite,
        form=post.form,
        formset=post.formset,
        fehler_zeigen=not post.nur_runde,
        weitere_nennen=True,
        zur_pruefung=zur_pruefung,
    )


def _nichts(form, formset):
    """Checks only: a step's post neither sends nor shows the check page."""


def _alles_pruefen(request, data, fehler=None):
    """The whole form checked (the date and money rules included), nothing sent or shown:
    which steps have errors, for "Weiter", the error summary's buttons and a draft's link."""
    return formular_verarbeiten(
        request,
        form_class=AntragForm,
        speichern=_nichts,
        pruefen=_nichts,
        data=data,
        dateien={},
        fehler=fehler,
    )


def _erster(schritte: set) -> str | None:
    return next((name for name in SCHRITT_NAMEN if name in schritte), None)


def fehler_schritte(form, formset) -> set:
    """The steps on which the bound form (and its Kostenplan) has an error."""
    schritte = {schritt_von(name) for name in form.errors if name != NON_FIELD_ERRORS}
    if formset.is_bound and (formset.non_form_errors() or any(row.errors for row in formset.forms)):
        schritte.add("kosten")
    return schritte


def _schritt_zeigen(
    request,
    data,
    schritt,
    seite,
    *,
    form=None,
    formset=None,
    fehler_zeigen=False,
    weitere_nennen=False,
    zur_pruefung=False,
    **extra,
):
    """One step of the form with the values as they stand: its own errors (when asked), the
    other steps' values hidden."""
    if form is None:
        form = AntragForm(data)
        # A post without the Kostenplan's counts (made by hand) shows its empty rows.
        formset = KostenFormSet(data if "kosten-TOTAL_FORMS" in data else None, prefix="kosten")
        ohne_fehler(form, formset)
    seite = dict(seite)
    dateifehler = seite.pop("dateifehler", [])
    if dateifehler and not (fehler_zeigen and schritt == "anlagen" and "anlagen" in form.errors):
        extra["dateihinweise"] = dateifehler
    if fehler_zeigen:
        if weitere_nennen:
            # Checked as a whole (the check page, sending): the other steps that still lack
            # something are named; a step's own "Weiter" names none the person has not seen.
            andere = fehler_schritte(form, formset) - {schritt}
            extra["weitere_fehler"] = [(n, t) for n, t, _f in SCHRITTE if n in andere]
        _nur_fehler_von(form, formset, schritt)
    return render_form(
        request,
        form,
        formset,
        unbound_errors=not fehler_zeigen,
        **schritt_kontext(form, formset, schritt, zur_pruefung=zur_pruefung),
        **seite,
        **extra,
    )


def _nur_fehler_von(form, formset, schritt):
    """Leaves only the errors of `schritt` (and those of no field): the other steps' come
    when the person gets there."""
    for name in [n for n in form.errors if n != NON_FIELD_ERRORS and schritt_von(n) != schritt]:
        del form._errors[name]
    if schritt != "kosten":
        for row in formset.forms:
            row._errors = ErrorDict()
        formset._non_form_errors = formset.error_class()


def schritt_kontext(form, formset, schritt, *, zur_pruefung=False) -> dict:
    """What the step page shows: which step of how many, its title and fields, and the other
    steps' values as hidden fields (never the computed amount or a file)."""
    nummer = SCHRITT_NAMEN.index(schritt) + 1
    versteckt = []
    for name in form.fields:
        if name in ("anlagen", "beantragter_betrag") or schritt_von(name) == schritt:
            continue
        wert = form[name].value()
        for einzeln in wert if isinstance(wert, list | tuple) else [wert]:
            if einzeln not in (None, "", False):
                versteckt.append((form[name].html_name, einzeln))
    if schritt != "kosten":
        for teil in [formset.management_form, *formset.forms]:
            for feld in teil:
                if feld.value() not in (None, ""):
                    versteckt.append((feld.html_name, feld.value()))
    return {
        "schritt": schritt,
        "schritt_titel": dict((n, t) for n, t, _f in SCHRITTE)[schritt],
        "schritt_nummer": nummer,
        "schritt_anzahl": len(SCHRITTE),
        "schritt_vorlage": f"antraege/schritte/{schritt}.html",
        "erster_schritt": nummer == 1,
        "letzter_schritt": nummer == len(SCHRITTE),
        "zur_pruefung": zur_pruefung,
        "versteckt": versteckt,
    }


def entwurf_und_anlagen(
    request,
    data,
    *,
    feld="anlagen",
    hoechstens=einreichung.MAX_ANLAGEN,
    platz=None,
    zweck=Entwurf.Zweck.ANTRAG,
    antrag=None,
):
    """The form's draft by its token, with this post's new files (field `feld`) kept and a
    removed one dropped: returns the post data, the draft, its token and the file errors
    (under `feld`). Every form with files uses it: the application, the answer to a
    Rückfrage and the Verwendungsnachweis, so that no error makes anyone choose a file again."""
    token = data.get(ENTWURF_FELD, "")
    # Only a draft of this form (and Antrag): another form's token finds nothing here.
    entwurf = entwurf_fuer_token(token, zweck=zweck, antrag=antrag)
    fehler = {}
    if token and entwurf is None:
        token = ""
        fehler[feld] = [
            _(
                "Ihr Formular war länger als einen Tag offen; ausgewählte Dateien bewahren wir "
                "nur so lange auf. Bitte wählen Sie sie erneut aus und prüfen Sie Ihre Angaben."
            )
        ]
        if "absenden" in data:
            # Sent from a check page whose files are gone: nothing is sent without them.
            data = data.copy()
            del data["absenden"]
    neue = request.FILES.getlist(feld)
    if neue:
        if entwurf is None:
            entwurf, token = entwurf_anlegen(sprache=_sprache(request), zweck=zweck, antrag=antrag)
        try:
            anlagen_vormerken(
                entwurf=entwurf,
                dateien=neue,
                client=client_schluessel(drosselung.client_netz(request)),
                hoechstens=hoechstens,
                platz=platz,
            )
        except ValidationError as exc:
            fehler.setdefault(feld, []).extend(exc.messages)
    if "anlage_entfernen" in data and not anlage_entfernen(
        entwurf=entwurf, anlage_id=data.get("anlage_entfernen")
    ):
        fehler.setdefault(feld, []).append(
            _(
                "Diese Datei gehört nicht zu diesem Formular oder ist schon entfernt. "
                "Es wurde nichts geändert."
            )
        )
    return data, entwurf, token, fehler


class ZuSchnell(ValidationError):
    """Sent sooner than a person could have filled in the form."""


def _absenden(request, data, entwurf, seite, form, formset):
    """Sends the checked Antrag with the draft's files. Sent too soon, the check page comes
    again with a plain message (nothing is stored; the next send counts from the first)."""
    dateien = anlagen_als_dateien(entwurf)
    try:
        ergebnis = einreichung.antrag_online_einreichen(
            daten={**form.service_data(), "sprache": _sprache(request)},
            kosten=formset.rows(),
            dateien=dateien,
            vor_dem_buchen=partial(_von_einer_person, request, data),
        )
    except ZuSchnell as zu_schnell:
        return _pruefseite(
            request, data, {**seite, "zu_schnell": zu_schnell.messages[0]}, form, formset
        )
    finally:
        for datei in dateien:
            datei.close()
    entwurf_erledigt(entwurf)
    return ergebnis


def _von_einer_person(request, data):
    """Once the Antrag's rules hold: not sooner than a person could send it, and counted for
    the sender's limit (a refused Antrag is not counted)."""
    mindestens = settings.ANTRAG_MINDESTZEIT_SEKUNDEN  # 0 turns the check off
    sekunden = _sekunden_seit(data.get(FORMULAR_START, ""))
    if mindestens and (sekunden is None or sekunden < mindestens):
        raise ZuSchnell(
            _(
                "Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben noch einmal und "
                "senden Sie den Antrag dann erneut ab."
            )
        )
    drosselung.antrag_zaehlen(request)


def _pruefseite(request, data, seite, form, formset):
    """The check page: every answer once more, the figures, and the values sent again."""
    return render(
        request,
        "antraege/pruefen.html",
        {
            "form": form,
            "formset": formset,
            "abschnitte": zusammenfassung(form),
            "naechste": statusseite.konferenz_fuer_antrag(
                finanzierungsquelle=form.cleaned_data["finanzierungsquelle"],
                aktionsraum=form.cleaned_data["aktionsraum"],
            ),
            "rechnung": kostenrechnung(form, formset),
            # The values go again with the page (the draft keeps only its files).
            "versteckt": [
                (name, wert)
                for name, werte in daten_aus_post(data, entwurf_felder()).items()
                for wert in werte
            ],
            "formular_start": _formular_start(request),
            **seite,
        },
    )


def _spaeter_weitermachen(request, data, entwurf, seite):
    """ "Speichern und später weitermachen": the values so far are kept and the link mailed.
    Without an e-mail address yet, the step that asks for it comes, with one plain message."""
    email = data.get("email", "").strip()
    try:
        EmailValidator()(email)
    except ValidationError:
        form = AntragForm(data)
        formset = KostenFormSet(data, prefix="kosten")
        ohne_fehler(form, formset)
        form.add_error(
            "email",
            _(
                "Bitte geben Sie Ihre E-Mail-Adresse an, damit wir Ihnen den Link zum "
                "Weitermachen schicken können."
            ),
        )
        return _schritt_zeigen(
            request,
            data,
            schritt_von("email"),
            seite,
            form=form,
            formset=formset,
            fehler_zeigen=True,
            zur_pruefung="zur_pruefung" in data,
        )
    drosselung.entwurf_zaehlen(request)
    if entwurf is None:
        entwurf, seite["entwurf_token"] = entwurf_anlegen(sprache=_sprache(request))
    entwurf = entwurf_speichern(
        entwurf=entwurf,
        daten=daten_aus_post(data, entwurf_felder()),
        email=email,
        sprache=_sprache(request),
    )
    return render(
        request,
        "antraege/entwurf_gespeichert.html",
        {"email": email, "gueltig_bis": entwurf.gueltig_bis},
    )


@drosselung.statuslink_form
@require_safe
@never_cache
def entwurf_fortsetzen(request, token):
    """The mailed link of a draft saved for later: the form with the values typed so far."""
    entwurf = entwurf_fuer_token(token)
    if entwurf is None or entwurf.gespeichert_am is None:
        return render(request, "antraege/entwurf_abgelaufen.html", status=404)
    data = QueryDict(mutable=True)
    for name, werte in entwurf.daten.items():
        if isinstance(werte, list):
            data.setlist(name, [str(w) for w in werte][:100])
    # On at the first step that still lacks something (a draft of the one-page form of
    # before has the same fields); with everything there, at the last one.
    post = _alles_pruefen(request, data)
    schritt = _erster(fehler_schritte(post.form, post.formset)) or SCHRITT_NAMEN[-1]
    return _schritt_zeigen(
        request,
        data,
        schritt,
        {
            "entwurf_token": token,
            "vorlaeufige_anlagen": list(gueltige_anlagen(entwurf)),
            "dateien_bleiben": True,
        },
        entwurf_fortgesetzt=entwurf,
        # The page's own address takes no post (and holds the secret): every button of the
        # form posts to the form, with the draft's token in the form's fields.
        formular_ziel=reverse("antraege:form"),
    )


@require_safe
@seitencache.oeffentlich(parameter=["aktionsraum"])
def antrag_start(request):
    """Before the form: what you need, who decides, how long it takes (from the data). The
    same for every visitor: stored in the page cache, but never for an unknown area."""
    slug = eingaben.slug(request.GET.get("aktionsraum"))
    area = Aktionsraum.objects.fuer_antraege().filter(slug=slug).first() if slug else None
    response = render(
        request,
        "antraege/start.html",
        {
            "aktionsraum": area,
            "konferenzen": statusseite.naechste_konferenzen(aktionsraum=area) if area else [],
            "kontakte": list(area.beauftragte.all()) if area else [],
            "dauer_tage": statusseite.entscheidungsdauer(),
            "fonds_hoechstbetrag": einreichung.FONDS_HOECHSTBETRAG,
            "max_anlagen": einreichung.MAX_ANLAGEN,
        },
    )
    response.nicht_teilen = "aktionsraum" in request.GET and area is None
    return response


def _leeres_antrag_formular(request):
    """The form's first step, empty (the area of the address chosen)."""
    slug = eingaben.slug(request.GET.get("aktionsraum"))
    area = Aktionsraum.objects.fuer_antraege().filter(slug=slug).first() if slug else None
    form = AntragForm(initial={"aktionsraum": area, "wohnort": "Dortmund"})
    formset = KostenFormSet(prefix="kosten")
    return form, formset, schritt_kontext(form, formset, SCHRITT_NAMEN[0])


# The empty form is the same page for everyone but for its CSRF token and its signed start
# time: it is rendered once (per language, area and change of the data it shows) with these
# markers, which each visitor's values replace.
_CSRF_MARKE = "csrf-marke-7f3c1e"
_START_MARKE = "start-marke-7f3c1e"


def _leeres_formular(request):
    def erste_seite():
        form, formset, kontext = _leeres_antrag_formular(request)
        return render_form(
            request,
            form,
            formset,
            csrf_token=_CSRF_MARKE,
            formular_start=_START_MARKE,
            **kontext,
        )

    inhalt, art = seitencache.vorlage(request, erste_seite, parameter=["aktionsraum"])
    return HttpResponse(_eigene_werte(request, inhalt), content_type=art)


def _eigene_werte(request, inhalt: bytes) -> bytes:
    """The form's template with this visitor's CSRF token and signed start time."""
    inhalt = inhalt.replace(_CSRF_MARKE.encode(), get_token(request).encode())
    return inhalt.replace(_START_MARKE.encode(), _formular_start(request).encode())


def formular_aus_vorlage(request, inhalt: bytes, art: str) -> HttpResponse:
    """The first page of the form from its stored template, answered by the page cache before
    the CSRF middleware has run (registered in antraege/apps.py): the CSRF cookie is read and,
    for a new visitor, set here exactly as CsrfViewMiddleware does."""
    csrf = CsrfViewMiddleware(_keine_ansicht)
    csrf.process_request(request)
    response = HttpResponse(_eigene_werte(request, inhalt), content_type=art)
    return csrf.process_response(request, response)


def _keine_ansicht(request):  # CsrfViewMiddleware wants a next step; it is never called
    raise AssertionError("not reached")


def _sprache(request) -> str:
    """The page's language, in which the applicant will get every letter."""
    code = (getattr(request, "LANGUAGE_CODE", "") or "de")[:2]
    return code if code in dict(settings.LANGUAGES) else "de"


def render_form(request, form, formset, unbound_errors=False, **extra):
    errors = [] if unbound_errors else error_summary(form, formset)
    return render(
        request,
        extra.pop("template", "antraege/antrag_form.html"),
        {
            "form": form,
            "formset": formset,
            "errors": errors,
            "show_errors": not unbound_errors,
            "formular_start": extra.pop("formular_start", None) or _formular_start(request),
            "honigtopf": HONIGTOPF,
            "rechnung": kostenrechnung(form, formset),
            **extra,
        },
    )


@require_safe
@never_cache
def antrag_eingereicht(request):
    """The confirmation, shown once: afterwards the browser's session holds nothing of it."""
    antrag = Antrag.objects.filter(pk=request.session.pop(SESSION_KEY, None)).first()
    doppelt = request.session.pop(SESSION_DOPPELT, None)
    if not request.session.keys():
        request.session.flush()
    if antrag is None and doppelt is not None:
        # The same Antrag again: its link went once more to the address it was made with.
        return render(request, "antraege/bereits_eingegangen.html")
    if antrag is None:
        return redirect("antraege:form")
    return render(
        request,
        "antraege/eingereicht.html",
        {
            "antrag": antrag,
            "naechste": statusseite.konferenz_fuer_antrag(
                finanzierungsquelle=antrag.finanzierungsquelle,
                aktionsraum=antrag.aktionsraum,
                eingereicht_am=antrag.eingereicht_am,
            ),
        },
    )
