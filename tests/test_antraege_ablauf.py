"""The workflow is one table (antraege/ablauf.py): the sets the services and the admin use
are read from it, and every status change, the applicant's included, goes through the one
writer that checks it."""

import importlib

import pytest
from django.core.exceptions import ValidationError

from antraege import ablauf
from antraege.models import Antrag, Status, StatusAenderung
from antraege.services import einreichung, workflow

from .factories import projektbuero_user, submitted_antrag

pytestmark = pytest.mark.django_db


def test_the_derived_sets_are_the_workflow_the_portal_promises():
    assert ablauf.WITHDRAWABLE == {
        Status.EINGEREICHT,
        Status.IN_PRUEFUNG,
        Status.RUECKFRAGE,
        Status.ENTSCHEIDUNGSREIF,
    }
    assert ablauf.AUSZAHLBAR == (Status.BEWILLIGT, Status.TEILWEISE_AUSGEZAHLT)
    assert ablauf.NUR_DURCH_KONFERENZ == {Status.BEWILLIGT, Status.ABGELEHNT}
    assert ablauf.EINFACHE_SCHRITTE == {
        Status.IN_PRUEFUNG,
        Status.RUECKFRAGE,
        Status.ENTSCHEIDUNGSREIF,
        Status.ABGELEHNT,
    }
    assert ablauf.GELD_SCHRITTE[Status.BEWILLIGT] == "antraege.bewilligen_zentral"
    assert ablauf.verwaltungsschritte(Status.ENTSCHEIDUNGSREIF) == [
        Status.IN_PRUEFUNG,
        Status.BEWILLIGT,
        Status.ABGELEHNT,
    ]
    # Nothing leads out of a final state.
    for ende in (Status.ABGESCHLOSSEN, Status.ABGELEHNT, Status.ZURUECKGEZOGEN):
        assert ende not in ablauf.TRANSITIONS


def test_every_step_names_a_service_that_exists_and_every_right_is_one_consistent():
    for schritt in ablauf.SCHRITTE:
        modul, funktion = schritt.service.split(".")
        assert hasattr(importlib.import_module(f"antraege.services.{modul}"), funktion), schritt
        for wer in schritt.wer:
            gleiche = {s.recht for s in ablauf.SCHRITTE if s.nach == schritt.nach and wer in s.wer}
            assert len(gleiche) == 1, (schritt.nach, wer)
    # Every status but the first is reached by some step, and every one but the ends left.
    erreicht = {s.nach for s in ablauf.SCHRITTE}
    assert erreicht == set(Status.values)


def test_a_step_that_is_not_in_the_table_is_refused_and_writes_nothing():
    antrag = submitted_antrag()
    zeilen = StatusAenderung.objects.count()
    with pytest.raises(ValidationError, match="kann der Antrag nicht auf „bewilligt“"):
        workflow.status_schreiben(
            antrag=antrag, nach=Status.BEWILLIGT, by=projektbuero_user(), kommentar=""
        )
    assert Antrag.objects.get(pk=antrag.pk).status == Status.EINGEREICHT
    assert StatusAenderung.objects.count() == zeilen


def test_the_applicants_steps_go_through_the_one_writer(monkeypatch):
    antrag = submitted_antrag()
    geschrieben = []
    original = workflow.status_schreiben

    def mitschreiben(**kwargs):
        geschrieben.append((kwargs["nach"], kwargs.get("durch_antragsteller")))
        return original(**kwargs)

    monkeypatch.setattr(einreichung, "status_schreiben", mitschreiben)
    staff = projektbuero_user()
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.IN_PRUEFUNG, by=staff)
    workflow.antrag_status_setzen(antrag=antrag, nach=Status.RUECKFRAGE, by=staff, kommentar="?")
    einreichung.antrag_rueckfrage_beantworten(antrag=antrag, antwort="So ist es.")
    einreichung.antrag_zurueckziehen(antrag=antrag, kommentar="")
    assert geschrieben == [(Status.IN_PRUEFUNG, True), (Status.ZURUECKGEZOGEN, True)]
    verlauf = list(antrag.verlauf.order_by("pk").values_list("von", "nach", "durch_antragsteller"))
    assert verlauf[0] == ("", Status.EINGEREICHT, True)
    assert verlauf[-1] == (Status.IN_PRUEFUNG, Status.ZURUECKGEZOGEN, True)


@pytest.mark.parametrize(
    ("nach", "meldung"),
    [
        (Status.RUECKFRAGE, "Bitte schreiben Sie Ihre Rückfrage"),
        (Status.ABGELEHNT, "Bitte begründen Sie die Ablehnung."),
    ],
)
def test_a_step_that_needs_a_comment_says_so_from_the_table(nach, meldung):
    assert ablauf.kommentar_fehlt(nach).startswith(meldung)
    assert ablauf.kommentar_fehlt(Status.IN_PRUEFUNG) == ""


def test_every_status_has_one_row_of_what_it_means():
    """A new status is a row here (and its steps above); nothing else is keyed by status."""
    assert set(ablauf.ZUSTAENDE) == set(Status.values)
    assert ablauf.STILLE_SCHRITTE == {Status.IN_PRUEFUNG, Status.ENTSCHEIDUNGSREIF}
    assert ablauf.NACHWEIS_AUSSTEHEND == [
        Status.BEWILLIGT,
        Status.TEILWEISE_AUSGEZAHLT,
        Status.AUSGEZAHLT,
        Status.NACHWEIS_KORREKTUR,
    ]
    assert ablauf.knopf(Status.AUFGEHOBEN) == "Bewilligung aufheben"
    # Every button a staff step has is a verb; its words depend on where it starts.
    assert ablauf.knopf(Status.ABGELEHNT) == "Ablehnen"
    assert ablauf.knopf(Status.IN_PRUEFUNG, von=Status.EINGEREICHT) == "Prüfung beginnen"
    assert ablauf.knopf(Status.IN_PRUEFUNG, von=Status.RUECKFRAGE) == "Ohne Antwort weiter prüfen"
    assert ablauf.knopf(Status.ENTSCHEIDUNGSREIF, fonds=True) == "Zur Projektkonferenz geben"
    for schritt in ablauf.SCHRITTE:
        if ablauf.VERWALTUNG in schritt.wer:
            assert ablauf.ZUSTAENDE[schritt.nach].knopf, schritt.nach
    # The applicant reads a next step in every status.
    assert all(zustand.weiter for zustand in ablauf.ZUSTAENDE.values())
    # Every status a staff button leads to explains what the button does.
    for schritt in ablauf.SCHRITTE:
        if ablauf.VERWALTUNG in schritt.wer:
            assert ablauf.ZUSTAENDE[schritt.nach].erklaerung, schritt.nach


def test_every_staff_button_names_one_service_that_takes_the_form_values():
    """The admin's buttons go through the table: one service per target status, and it takes
    only values the step form has (`workflow.verwaltungsschritt` passes those)."""
    import inspect

    erlaubt = {"antrag", "nach", "by", "kommentar", "betrag", "haushaltsjahr"}
    for nach in {s.nach for s in ablauf.SCHRITTE if ablauf.VERWALTUNG in s.wer}:
        modul, name = ablauf.service(nach).split(".")
        funktion = getattr(importlib.import_module(f"antraege.services.{modul}"), name)
        assert set(inspect.signature(funktion).parameters) <= erlaubt, nach
