"""The secret status link: the status page, answering a Rückfrage with corrections,
withdrawing, downloads, and asking for a lost link."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from aktionsplan.kern import drosselung, hintergrund
from antraege import ablauf
from antraege.selectors import hauptbuch, statusseite
from antraege.services import einreichung, vorstellung

from .. import statuslink
from ..antragsformular import formular_verarbeiten, ohne_fehler
from ..downloads import serve_anlage
from ..forms.antrag import AntwortForm, KorrekturForm, KostenFormSet, ProjektberichtForm
from ..forms.felder import fehler_je_feld, freitext
from ..models import Antrag, Entwurf, Status
from ..services.entwurf import anlagen_als_dateien, entwurf_erledigt, gueltige_anlagen
from .formular import HONIGTOPF, entwurf_und_anlagen, render_form


def antrag_by_token(token):
    antrag = statuslink.antrag_fuer_token(
        Antrag.objects.select_related("aktionsraum", "haushaltsjahr"), token
    )
    if antrag is None:
        raise Http404
    return antrag


@require_safe
@never_cache
def antrag_status(request, token):
    antrag = antrag_by_token(token)
    # Whoever opens the link reads the mails at that address: it is confirmed.
    einreichung.statuslink_geoeffnet(antrag=antrag)
    rueckfrage = (
        antrag.verlauf.filter(nach=Status.RUECKFRAGE).last()
        if antrag.status == Status.RUECKFRAGE
        else None
    )
    stand = hauptbuch.antrag_geldstand(antrag)
    konferenz = statusseite.beratung(antrag)
    auszahlungen = list(antrag.auszahlungen.angeordnet())
    return render(
        request,
        "antraege/status.html",
        {
            "antrag": antrag,
            "stufe": statusseite.stufe(antrag, konferenz=konferenz),
            "konferenz": konferenz,
            "iban_ende": antrag.iban[-4:] if antrag.iban else "",
            "token": token,
            "kosten": antrag.kosten.all(),
            # The application's own files; receipts are listed with their Nachweis.
            "anlagen": antrag.anlagen.filter(verwendungsnachweis=None),
            "verlauf": statusseite.verlauf(antrag),
            "auszahlungen": auszahlungen,
            "stand": stand,
            "weiter": statusseite.weiter(antrag, stand),
            "rueckzahlung": hauptbuch.rueckzahlung_angaben(antrag=antrag)
            if antrag.status == Status.RUECKFORDERUNG
            else None,
            "nachweise": antrag.verwendungsnachweise.prefetch_related("belege", "positionen"),
            "profil_sichtbar": antrag.oeffentlich_vorstellen is True and stand.bewilligt > 0,
            "bericht_moeglich": antrag.oeffentlich_vorstellen is True
            and antrag.status in vorstellung.BERICHT_MOEGLICH,
            "rueckfrage": rueckfrage,
            "antworten_bis": timezone.localdate(rueckfrage.zeitpunkt)
            + timedelta(days=settings.RUECKFRAGE_ANTWORT_TAGE)
            if rueckfrage
            else None,
            "korrektur": antrag.verlauf.filter(nach=Status.NACHWEIS_KORREKTUR).last()
            if antrag.status == Status.NACHWEIS_KORREKTUR
            else None,
            "nachweis_offen": antrag.status in ablauf.NACHWEIS_AUSSTEHEND,
            "kann_zurueckziehen": antrag.status in ablauf.WITHDRAWABLE,
            "schritte": statusseite.schritte(antrag),
            "kontakte": antrag.aktionsraum.beauftragte.all(),
            "Status": Status,
        },
    )


@drosselung.statuslink_form
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def rueckfrage_beantworten(request, token):
    """The short answer to a Rückfrage: the question, the answer, files if wanted. The files
    are kept in the form's draft until the answer is sent, so an error never loses them;
    changing the Antrag's values is the separate, optional page `antrag_korrigieren`."""
    if request.method == "POST" and "kosten-TOTAL_FORMS" in request.POST:
        # The whole correction form, posted to this address as before it had one of its own
        # (a page left open across an update): nothing of it is lost.
        return _korrigieren(request, token)
    antrag = antrag_by_token(token)
    if antrag.status != Status.RUECKFRAGE:
        messages.info(request, _("Zu diesem Antrag ist keine Rückfrage offen."))
        return redirect("antraege:status", token=token)
    frei = _freie_anlagen(antrag)
    if request.method != "POST":
        return _antwort_render(request, antrag, token, AntwortForm(), frei=frei)
    data, entwurf, entwurf_token, fehler = entwurf_und_anlagen(
        request,
        request.POST,
        hoechstens=frei,
        platz=einreichung.MAX_ANTRAG_BYTES - einreichung.belegter_platz(antrag=antrag),
        zweck=Entwurf.Zweck.ANTWORT,
        antrag=antrag,
    )
    form = AntwortForm(data)
    seite = {"entwurf_token": entwurf_token, "frei": frei, "entwurf": entwurf}
    if "anlage_entfernen" in data:
        # A file removed: nothing is checked or sent yet; only a failed removal is said.
        ohne_fehler(form)
        for meldung in fehler.get("anlagen", []):
            form.add_error("anlagen", meldung)
        return _antwort_render(request, antrag, token, form, **seite)
    if form.is_valid() and not fehler:
        dateien = anlagen_als_dateien(entwurf)
        try:
            einreichung.antrag_rueckfrage_beantworten(
                antrag=antrag, antwort=form.cleaned_data["antwort"], dateien=dateien
            )
        except ValidationError as exc:
            for feld, meldungen in fehler_je_feld(exc).items():
                for meldung in meldungen:
                    form.add_error(feld if feld in form.fields else "anlagen", meldung)
        else:
            entwurf_erledigt(entwurf)
            messages.success(request, _("Danke! Ihre Antwort ist bei uns eingegangen."))
            return redirect("antraege:status", token=token)
        finally:
            for datei in dateien:
                datei.close()
    for feld, meldungen in fehler.items():
        for meldung in meldungen:
            form.add_error(feld, meldung)
    return _antwort_render(request, antrag, token, form, **seite)


def _freie_anlagen(antrag) -> int:
    """How many files the answer may still add: an Antrag has at most `MAX_ANLAGEN`."""
    vorhanden = antrag.anlagen.filter(verwendungsnachweis=None).count()
    return max(einreichung.MAX_ANLAGEN - vorhanden, 0)


def _antwort_render(request, antrag, token, form, *, frei, entwurf=None, **seite):
    rueckfrage = antrag.verlauf.filter(nach=Status.RUECKFRAGE).last()
    # The summary says each message once, linked to its field; the field's label is not
    # repeated (the messages say what is missing).
    fehler = [
        ("", meldung, form[name].auto_id if name in form.fields else "fehler")
        for name, meldungen in (form.errors.items() if form.is_bound else [])
        for meldung in meldungen
    ]
    return render(
        request,
        "antraege/antworten.html",
        {
            "antrag": antrag,
            "token": token,
            "form": form,
            "errors": fehler,
            "rueckfrage": rueckfrage,
            "antworten_bis": timezone.localdate(rueckfrage.zeitpunkt)
            + timedelta(days=settings.RUECKFRAGE_ANTWORT_TAGE)
            if rueckfrage
            else None,
            "frei": frei,
            "vorlaeufige_anlagen": list(gueltige_anlagen(entwurf)),
            "dateien_bleiben": True,
            **seite,
        },
    )


@drosselung.statuslink_form
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def antrag_korrigieren(request, token):
    """The applicant answers a Rückfrage and corrects the Antrag (same checks as new)."""
    return _korrigieren(request, token)


def _korrigieren(request, token):
    antrag = antrag_by_token(token)
    if antrag.status != Status.RUECKFRAGE:
        messages.info(request, _("Zu diesem Antrag ist keine Rückfrage offen."))
        return redirect("antraege:status", token=token)
    if request.method != "POST":
        form = KorrekturForm(instance=antrag, initial=KorrekturForm.initial_for(antrag))
        formset = KostenFormSet(
            prefix="kosten",
            initial=[
                {"beschreibung": k.beschreibung, "betrag": k.betrag} for k in antrag.kosten.all()
            ],
        )
        return _korrektur_render(request, antrag, token, form, formset)

    # Chosen files wait in the form's draft (of this answer and Antrag), as on the short
    # answer page: no error, round trip or removal makes anyone choose them again.
    data, entwurf, entwurf_token, fehler = entwurf_und_anlagen(
        request,
        request.POST,
        hoechstens=_freie_anlagen(antrag),
        platz=einreichung.MAX_ANTRAG_BYTES - einreichung.belegter_platz(antrag=antrag),
        zweck=Entwurf.Zweck.ANTWORT,
        antrag=antrag,
    )

    def speichern(form, formset):
        dateien = anlagen_als_dateien(entwurf)
        try:
            antrag_neu = einreichung.antrag_rueckfrage_beantworten(
                antrag=antrag,
                antwort=form.cleaned_data["antwort"],
                daten=form.service_data(),
                kosten=formset.rows(),
                dateien=dateien,
            )
        finally:
            for datei in dateien:
                datei.close()
        entwurf_erledigt(entwurf)
        return antrag_neu

    post = formular_verarbeiten(
        request,
        form_class=KorrekturForm,
        speichern=speichern,
        form_kwargs={"instance": antrag},
        data=data,
        dateien={},
        fehler=fehler,
    )
    if post.ergebnis is not None:
        messages.success(request, _("Danke! Ihre Antwort ist bei uns eingegangen."))
        return redirect("antraege:status", token=token)
    return _korrektur_render(
        request,
        antrag,
        token,
        post.form,
        post.formset,
        unbound_errors=post.nur_runde and not fehler,
        entwurf_token=entwurf_token,
        vorlaeufige_anlagen=list(gueltige_anlagen(entwurf)),
    )


def _korrektur_render(request, antrag, token, form, formset, unbound_errors=False, **seite):
    return render_form(
        request,
        form,
        formset,
        unbound_errors=unbound_errors,
        template="antraege/korrektur.html",
        antrag=antrag,
        token=token,
        rueckfrage=antrag.verlauf.filter(nach=Status.RUECKFRAGE).last(),
        dateien_bleiben=True,
        **seite,
    )


@drosselung.statuslink_form
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def antrag_zurueckziehen(request, token):
    """A page of its own that asks to confirm; only a confirmed post withdraws."""
    antrag = antrag_by_token(token)
    if antrag.status not in ablauf.WITHDRAWABLE:
        messages.error(request, _("Der Antrag kann nicht mehr zurückgezogen werden."))
        return redirect("antraege:status", token=token)
    fehler = ""
    kommentar = freitext(request, "kommentar", 2000) if request.method == "POST" else ""
    if request.method == "POST":
        if request.POST.get("bestaetigt") != "ja":
            fehler = _(
                "Bitte bestätigen Sie, dass Sie den Antrag zurückziehen möchten. "
                "Es wurde nichts geändert."
            )
        else:
            try:
                einreichung.antrag_zurueckziehen(antrag=antrag, kommentar=kommentar)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Ihr Antrag wurde zurückgezogen."))
            return redirect("antraege:status", token=token)
    return render(
        request,
        "antraege/zurueckziehen.html",
        {"antrag": antrag, "token": token, "fehler": fehler, "kommentar": kommentar},
        status=400 if fehler else 200,
    )


@drosselung.statuslink_anfordern
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def statuslink_anfordern(request):
    """ "Statuslink verloren?": the links of an address's Anträge go to that address again.

    The page says the same whether or not the address is known, so that it tells nobody
    whether someone has applied."""
    gesendet = False
    email = ""
    fehler = ""
    if request.method == "POST":
        email = drosselung.email_normalisieren(request.POST.get("email", ""))
        try:
            EmailValidator()(email)
        except ValidationError:
            fehler = _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.org.")
        else:
            if request.POST.get(HONIGTOPF):
                return render(request, "antraege/abgelehnt.html", status=400)
            # Found or not, the answer comes as fast: the lookup and the mails come after it.
            hintergrund.nach_der_antwort(einreichung.statuslinks_erneut_senden, email=email)
            gesendet = True
    return render(
        request,
        "antraege/statuslink_anfordern.html",
        {"gesendet": gesendet, "email": email, "fehler": fehler, "honigtopf": HONIGTOPF},
        status=400 if fehler else 200,
    )


@drosselung.download
@require_safe
def anlage_download(request, token, anlage_id):
    antrag = antrag_by_token(token)
    anlage = get_object_or_404(antrag.anlagen, pk=anlage_id)
    return serve_anlage(anlage)


@drosselung.statuslink_form
@require_http_methods(["POST"])
@never_cache
def vorstellung_zurueckziehen(request, token):
    """Takes the public project page back (asked to confirm on the status page)."""
    antrag = antrag_by_token(token)
    if request.POST.get("bestaetigt") != "ja":
        messages.error(
            request,
            _(
                "Bitte bestätigen Sie mit dem Häkchen, dass Sie die Projektseite herausnehmen "
                "möchten. Es wurde nichts geändert."
            ),
        )
    else:
        try:
            vorstellung.vorstellung_zurueckziehen(antrag=antrag)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "Die Projektseite ist herausgenommen. Öffentlich stehen nur noch Aktionsraum, "
                    "Ziel und Betrag."
                ),
            )
    return redirect(f"{reverse('antraege:status', kwargs={'token': token})}#projektseite")


@drosselung.statuslink_form
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def projektbericht(request, token):
    """After the Verwendungsnachweis: a short report and one photo for the project page."""
    antrag = antrag_by_token(token)
    if antrag.oeffentlich_vorstellen is not True or antrag.status not in (
        vorstellung.BERICHT_MOEGLICH
    ):
        messages.error(
            request,
            _("Bericht und Foto kommen nach dem Verwendungsnachweis auf die Projektseite."),
        )
        return redirect("antraege:status", token=token)
    form = ProjektberichtForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "bericht": antrag.bericht_oeffentlich,
            "foto_beschreibung": antrag.foto_beschreibung,
            "bildnachweis": antrag.bildnachweis,
        },
        hat_foto=bool(antrag.foto),
    )
    if request.method == "POST" and form.is_valid():
        try:
            vorstellung.bericht_speichern(antrag=antrag, **form.service_data())
        except ValidationError as exc:
            form.dienst_fehler(exc)
        else:
            messages.success(request, _("Bericht und Foto stehen jetzt auf der Projektseite."))
            return redirect(f"{reverse('antraege:status', kwargs={'token': token})}#projektseite")
    return render(
        request,
        "antraege/projektbericht.html",
        {"antrag": antrag, "token": token, "form": form},
        status=400 if form.errors else 200,
    )
