"""The application form: start page, the form with its drafts and pending files, the check
page, sending and the confirmation."""

import time
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
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

from ..antragsformular import error_summary, formular_verarbeiten, ohne_fehler
from ..forms.antrag import (
    AntragForm,
    KostenFormSet,
    entwurf_felder,
    kostenrechnung,
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
            bool(slug) and Aktionsraum.objects.active().filter(slug=slug).exists()
        )
        if bekannt and seitencache.teilbar(request, parameter=["aktionsraum"]):
            return _leeres_formular(request)
        return render_form(request, *_leeres_antrag_formular(request))
    if request.POST.get(HONIGTOPF):
        # Only a program fills in a field that no person can see: nothing is stored or mailed.
        return render(request, "antraege/abgelehnt.html", status=400)
    return _antrag_verarbeiten(request, request.POST)


def _antrag_verarbeiten(request, data):
    """One post of the public form: keep chosen files, remove one, save for later, show the
    check page, or send. The draft (pending files) is the one of the token the form carries."""
    data, entwurf, token, fehler = entwurf_und_anlagen(request, data)
    seite = {
        "entwurf_token": token,
        "vorlaeufige_anlagen": list(gueltige_anlagen(entwurf)),
        "dateien_bleiben": True,
    }
    if "spaeter" in data:
        return _spaeter_weitermachen(request, data, entwurf, seite)
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
    return render_form(
        request, post.form, post.formset, unbound_errors=post.nur_runde and not fehler, **seite
    )


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
    """ "Speichern und später weitermachen": the values so far are kept and the link mailed."""
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
        return render_form(request, form, formset, **seite)
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
    form = AntragForm(data)
    formset = KostenFormSet(data, prefix="kosten")
    ohne_fehler(form, formset)
    return render_form(
        request,
        form,
        formset,
        unbound_errors=True,
        entwurf_token=token,
        vorlaeufige_anlagen=list(gueltige_anlagen(entwurf)),
        dateien_bleiben=True,
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
    area = Aktionsraum.objects.active().filter(slug=slug).first() if slug else None
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
    slug = eingaben.slug(request.GET.get("aktionsraum"))
    area = Aktionsraum.objects.active().filter(slug=slug).first() if slug else None
    form = AntragForm(initial={"aktionsraum": area, "wohnort": "Dortmund"})
    return form, KostenFormSet(prefix="kosten")


# The empty form is the same page for everyone but for its CSRF token and its signed start
# time: it is rendered once (per language, area and change of the data it shows) with these
# markers, which each visitor's values replace.
_CSRF_MARKE = "csrf-marke-7f3c1e"
_START_MARKE = "start-marke-7f3c1e"


def _leeres_formular(request):
    inhalt, art = seitencache.vorlage(
        request,
        lambda: render_form(
            request,
            *_leeres_antrag_formular(request),
            csrf_token=_CSRF_MARKE,
            formular_start=_START_MARKE,
        ),
        parameter=["aktionsraum"],
    )
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
    return render(request, "antraege/eingereicht.html", {"antrag": antrag})
