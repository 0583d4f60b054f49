"""Paper in the admin: an application or a Verwendungsnachweis that came by post, typed in
under the same rules as online, and the letter of an Antrag's state printed to post."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from antraege.selectors import aktionen, hauptbuch
from antraege.services import einreichung
from quartiere.bereich import aktionsraeume_fuer

from .. import emails
from ..antragsformular import formular_verarbeiten, nachweis_fehler
from ..forms.antrag import KostenFormSet, PapierantragForm, kostenrechnung
from ..forms.felder import fehler_je_feld
from ..forms.nachweis import PapierNachweisForm


class PapierMixin:
    """The paper endpoints of the Antrag admin (`AntragAufgabe` supplies the shared parts)."""

    def papier_urls(self):
        view = self.admin_site.admin_view
        return [
            path("papier/", view(self.papierantrag), name="antraege_antrag_papier"),
            path(
                "<int:antrag_id>/nachweis/",
                view(self.papiernachweis),
                name="antraege_antrag_papiernachweis",
            ),
            path("<int:antrag_id>/brief/", view(self.brief_drucken), name="antraege_antrag_brief"),
        ]

    def papierantrag(self, request):
        """Staff type in an application that came on paper, under the same rules."""
        if not request.user.has_perm("antraege.add_antrag"):
            raise PermissionDenied
        form_kwargs = {"aktionsraeume": aktionsraeume_fuer(user=request.user)}
        if request.method == "POST":
            post = formular_verarbeiten(
                request,
                form_class=PapierantragForm,
                form_kwargs=form_kwargs,
                speichern=lambda form, formset: einreichung.antrag_einreichen(
                    daten=form.service_data(),
                    kosten=formset.rows(),
                    dateien=form.cleaned_data["anlagen"],
                    erfasst_von=request.user,
                ),
            )
            if post.ergebnis is not None:
                return self._papierantrag_erfasst(request, post.ergebnis)
            form, formset, fehler = post.form, post.formset, post.fehlerliste()
        else:
            form = PapierantragForm(initial={"wohnort": "Dortmund"}, **form_kwargs)
            formset = KostenFormSet(prefix="kosten")
            fehler = []
        return self._seite(
            request,
            "papier.html",
            _("Papierantrag erfassen"),
            form=form,
            formset=formset,
            errors=fehler,
            rechnung=kostenrechnung(form, formset),
        )

    def _papierantrag_erfasst(self, request, antrag):
        self.message_user(request, _("Papierantrag erfasst: %(az)s") % {"az": antrag.aktenzeichen})
        if antrag.email:
            return redirect("admin:antraege_antrag_change", antrag.pk)
        self.message_user(
            request,
            _(
                "Ohne E-Mail-Adresse geht keine Eingangsbestätigung hinaus: "
                "Bitte drucken Sie sie aus und senden Sie sie per Post."
            ),
            messages.WARNING,
        )
        return redirect("admin:antraege_antrag_brief", antrag.pk)

    def papiernachweis(self, request, antrag_id):
        """Staff type in a Verwendungsnachweis that came by post, row by row as online: the
        same service, with who typed it in and the day it arrived."""
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        if not aktionen.aktionen(antrag=antrag, user=request.user).papiernachweis:
            self.message_user(
                request,
                _("Für diesen Antrag ist jetzt kein Verwendungsnachweis möglich (Status: %s).")
                % antrag.get_status_display(),
                messages.ERROR,
            )
            return redirect("admin:antraege_antrag_change", antrag.pk)
        form = PapierNachweisForm(
            request.POST or None,
            request.FILES or None,
            antrag=antrag,
            initial={"eingegangen_am": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                einreichung.verwendungsnachweis_einreichen(
                    antrag=antrag,
                    **form.service_data(),
                    dateien=form.cleaned_data["belege"],
                    erfasst_von=request.user,
                    eingegangen_am=form.cleaned_data["eingegangen_am"],
                )
            except ValidationError as exc:
                for field, errors in fehler_je_feld(exc).items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                self.message_user(
                    request,
                    _("Verwendungsnachweis auf Papier erfasst: %s") % antrag.aktenzeichen,
                )
                return redirect("admin:antraege_antrag_change", antrag.pk)
        return self._seite(
            request,
            "papiernachweis.html",
            _("Verwendungsnachweis auf Papier erfassen"),
            original=antrag,
            form=form,
            errors=nachweis_fehler(form),
            ausgezahlt=hauptbuch.antrag_geldstand(antrag).netto_ausgezahlt,
        )

    def brief_drucken(self, request, antrag_id):
        """The letter of the Antrag's current state as a page to print and post (for paper
        applications without e-mail; for the others, what the last mail said)."""
        # Only the roles that take the steps (and so send letters) print them: a letter
        # holds the postal address, which read-only accounts never see.
        antrag = self._antrag_zum_bearbeiten(request, antrag_id)
        if not aktionen.aktionen(antrag=antrag, user=request.user).brief_drucken:
            raise PermissionDenied
        betreff, text = emails.brief_fuer_druck(antrag=antrag)
        response = TemplateResponse(
            request,
            "admin/antraege/antrag/brief.html",
            {
                "antrag": antrag,
                "betreff": betreff,
                "text": text,
                "datum": timezone.localdate(),
                "sprache": antrag.sprache or "de",
                "projektbuero_email": settings.PROJEKTBUERO_EMAIL,
                "projektbuero_phone": settings.PROJEKTBUERO_PHONE,
                "projektbuero_anschrift": settings.PROJEKTBUERO_ANSCHRIFT,
                # The reference block names the area's contact (the first, as on its page).
                "kontakt": antrag.aktionsraum.beauftragte.first(),
            },
        )
        response["Cache-Control"] = "private, no-store"
        return response
