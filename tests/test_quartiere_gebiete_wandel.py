"""Areas change over the years: one leaves the programme after its last Haushaltsjahr (no fund,
no new Antrag, whichever path; its page, projects and figures stay, marked "bis <Jahr>"), may
name a successor, and the public list groups Aktionsräume, Aktionsquartiere and former areas."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from antraege.models import Aktionsraumfonds, Antrag, Haushaltsjahr, Mitglied, Rolle
from antraege.services import budget
from quartiere.models import Aktionsraum, Gebietsart, Zustaendigkeit
from tests.factories import (
    antrag_daten,
    antrag_post_data,
    entscheidungsreif,
    fonds_bewilligen,
    submitted_antrag,
)

pytestmark = pytest.mark.django_db

JAHR = timezone.localdate().year


def naechstes_jahr():
    """Noon on 15 January of the next year: the area's last year is over."""
    return time_machine.travel(timezone.make_aware(datetime(JAHR + 1, 1, 15, 12)), tick=False)


@pytest.fixture
def hoerde_mit_geschichte(staff):
    """Hörde with a project granted from its fund this year, leaving after this year, with a
    successor."""
    budget.haushaltsjahr_mit_programmbetraegen(jahr=JAHR, nur_erstes=False)
    antrag = entscheidungsreif(
        submitted_antrag(titel="Lesecafé im Quartier", beantragter_betrag=Decimal("800.00")),
        staff,
    )
    fonds_bewilligen(antrag, Decimal("800.00"), staff)
    neu = Aktionsraum.objects.create(
        name="Hörde-Clarenberg (Beispiel)",
        slug="hoerde-clarenberg-beispiel",
        art=Gebietsart.AKTIONSQUARTIER,
        zustaendigkeit=Zustaendigkeit.STADTERNEUERUNG,
        stadtbezirk="Hörde",
    )
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    hoerde.bis_jahr = JAHR
    hoerde.nachfolger = neu
    hoerde.full_clean()
    hoerde.save()
    return hoerde, neu, antrag


def test_a_new_haushaltsjahr_has_funds_only_for_the_areas_still_in_the_programme(
    hoerde_mit_geschichte,
):
    hoerde, neu, _antrag = hoerde_mit_geschichte
    with naechstes_jahr():
        hj = budget.haushaltsjahr_mit_programmbetraegen(jahr=JAHR + 1, nur_erstes=False)
        raeume = set(hj.fonds.values_list("aktionsraum__slug", flat=True))
    # Twelve of the thirteen Aktionsräume, and the new Aktionsquartier.
    assert len(raeume) == 13 and "hoerde" not in raeume and neu.slug in raeume
    assert Aktionsraum.objects.filter(art=Gebietsart.AKTIONSRAUM).count() == 13
    assert len(raeume - {neu.slug}) == 12
    # This year's fund of Hörde stays as it was.
    assert Aktionsraumfonds.objects.filter(aktionsraum=hoerde, haushaltsjahr__jahr=JAHR).exists()
    # No path makes it one later: not the lazy fund of a late Antrag either.
    with pytest.raises(ValidationError, match=f"gehört seit {JAHR + 1} nicht mehr"):
        budget.fonds_fuer(haushaltsjahr=hj, aktionsraum=hoerde)


def test_the_former_areas_page_keeps_its_history_and_names_its_successor(
    hoerde_mit_geschichte,
):
    hoerde, neu, antrag = hoerde_mit_geschichte
    with naechstes_jahr():
        html = Client().get("/aktionsraeume/hoerde/").content.decode()
        liste = Client().get("/aktionsraeume/").content.decode()
    assert f"Dieses Gebiet gehörte bis {JAHR} zum Aktionsplan" in html
    assert f'An seine Stelle tritt: <a href="/aktionsraeume/{neu.slug}/">' in html
    assert "Lesecafé im Quartier" in html  # its project of the last year
    assert f"{JAHR} bewilligt: 800\xa0€ von 5.000\xa0€" in html
    assert 'data-wert="verfuegbar' not in html and "Nächste Projektkonferenz" not in html
    assert "Antrag stellen</span>" not in html.split("<main")[1].split("Ihre Ansprechpersonen")[0]
    # The list: the new Aktionsquartier in its own group, Hörde among the former areas.
    quartiere = liste.split('id="gebiete-quartiere"')[1].split("</section>")[0]
    ehemalige = liste.split('id="gebiete-ehemalige"')[1].split("</section>")[0]
    assert neu.name in quartiere and "Hörde</a>" not in quartiere
    assert f"bis {JAHR}; heute: {neu.name}" in ehemalige
    amt = liste.split('id="gebiete-quartiere"')[0]
    assert 'href="/aktionsraeume/hoerde/"' not in amt


def test_while_its_last_year_runs_the_area_takes_anträge_and_says_until_when(
    hoerde_mit_geschichte,
):
    html = Client().get("/aktionsraeume/hoerde/").content.decode()
    assert f"Dieses Gebiet gehört noch bis Ende {JAHR} zum Aktionsplan." in html
    assert "Antrag stellen</span>" in html
    assert f'<option value="{Aktionsraum.objects.get(slug="hoerde").pk}"' in (
        Client().get("/antrag/").content.decode()
    )


def test_no_form_and_no_service_takes_a_new_antrag_for_a_former_area(
    hoerde_mit_geschichte, client, staff
):
    hoerde, _neu, _antrag = hoerde_mit_geschichte
    with naechstes_jahr():
        formular = client.get("/antrag/?aktionsraum=hoerde").content.decode()
        assert f'<option value="{hoerde.pk}"' not in formular
        vorher = Antrag.objects.count()
        antwort = client.post("/antrag/", antrag_post_data(aktionsraum=str(hoerde.pk)))
        assert "Bitte wählen Sie einen Aktionsraum aus der Liste." in antwort.content.decode()
        assert Antrag.objects.count() == vorher
        client.force_login(staff)
        papier = client.get("/admin/antraege/antrag/papier/").content.decode()
        assert f'<option value="{hoerde.pk}"' not in papier
        from antraege.services import einreichung

        with pytest.raises(ValidationError, match=f"gehört seit {JAHR + 1} nicht mehr"):
            einreichung.antrag_einreichen(
                daten=antrag_daten(aktionsraum=hoerde), kosten=[("Material", Decimal("100"))]
            )
        # Nor a Projektkonferenz or a member of its conference from now on.
        antwort = client.post(
            "/admin/antraege/projektkonferenz/add/",
            {
                "aktionsraum": hoerde.pk,
                "datum": timezone.localdate().strftime("%d.%m.%Y"),
                "ort": "Stadtteilzentrum",
                "teilnahmen-TOTAL_FORMS": "0",
                "teilnahmen-INITIAL_FORMS": "0",
                "beschluesse-TOTAL_FORMS": "0",
                "beschluesse-INITIAL_FORMS": "0",
            },
        )
        assert f"Hörde gehört seit {JAHR + 1} nicht mehr zum Aktionsplan" in (
            antwort.content.decode()
        )
        mitglied = Mitglied(
            aktionsraum=hoerde, name="X", rolle=Rolle.SONSTIGE, aktiv_von=date(JAHR + 1, 1, 2)
        )
        with pytest.raises(ValidationError, match="nicht mehr zum Aktionsplan"):
            mitglied.full_clean()


def test_a_correction_keeps_its_own_area_after_the_area_has_left(hoerde_mit_geschichte):
    from antraege.forms.antrag import KorrekturForm

    _hoerde, _neu, antrag = hoerde_mit_geschichte
    with naechstes_jahr():
        form = KorrekturForm(instance=antrag)
        assert antrag.aktionsraum in form.fields["aktionsraum"].queryset
        assert form.fields["aktionsraum"].queryset.filter(slug="hoerde").count() == 1


def test_a_successor_needs_a_last_year_and_is_not_the_area_itself():
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    hoerde.nachfolger = hoerde
    with pytest.raises(ValidationError, match="nicht sein eigener Nachfolger"):
        hoerde.full_clean()
    hoerde.nachfolger = Aktionsraum.objects.get(slug="marten")
    with pytest.raises(ValidationError, match="letztes Haushaltsjahr"):
        hoerde.full_clean()


def test_renaming_keeps_the_address_and_the_history(hoerde_mit_geschichte, staff_client):
    hoerde, _neu, antrag = hoerde_mit_geschichte
    hoerde.name = "Hörde-Mitte (Beispiel)"
    hoerde.full_clean()
    hoerde.save()
    hoerde.refresh_from_db()
    assert (hoerde.name, hoerde.slug) == ("Hörde-Mitte (Beispiel)", "hoerde")
    html = Client().get("/aktionsraeume/hoerde/").content.decode()
    assert "Hörde-Mitte (Beispiel)" in html and "Lesecafé im Quartier" in html
    assert Haushaltsjahr.objects.get(jahr=JAHR).fonds.filter(aktionsraum=hoerde).exists()
    assert antrag.aktionsraum_id == hoerde.pk


def test_an_area_retires_only_after_its_last_year_with_money_or_antraege(
    hoerde_mit_geschichte, staff
):
    hoerde, _neu, _antrag = hoerde_mit_geschichte
    hoerde.bis_jahr = JAHR - 1  # it has this year's fund and a granted Antrag
    with pytest.raises(ValidationError, match=f"frühestens {JAHR} sein"):
        hoerde.full_clean()


def test_no_fund_is_added_by_hand_for_a_former_area(hoerde_mit_geschichte):
    from antraege.models import Aktionsraumfonds

    hoerde, _neu, _antrag = hoerde_mit_geschichte
    with naechstes_jahr():
        hj = budget.haushaltsjahr_mit_programmbetraegen(jahr=JAHR + 1, nur_erstes=False)
        neu = Aktionsraumfonds(haushaltsjahr=hj, aktionsraum=hoerde, betrag=Decimal("100.00"))
        with pytest.raises(ValidationError, match="nicht mehr zum Aktionsplan"):
            budget.fonds_aenderung_pruefen(fonds=neu)


def test_a_successor_must_belong_to_the_programme_after_the_last_year():
    marten, hoerde = (Aktionsraum.objects.get(slug=s) for s in ("marten", "hoerde"))
    Aktionsraum.objects.filter(pk=marten.pk).update(bis_jahr=JAHR - 3)
    hoerde.bis_jahr = JAHR + 5
    hoerde.nachfolger = Aktionsraum.objects.get(pk=marten.pk)
    with pytest.raises(ValidationError, match=f"ab {JAHR + 6} zum Aktionsplan"):
        hoerde.full_clean()


def test_a_correction_with_a_mistake_after_the_area_left_says_so_without_failing(
    hoerde_mit_geschichte, staff
):
    from antraege.forms.antrag import KorrekturForm
    from antraege.services import workflow

    hoerde, _neu, _antrag = hoerde_mit_geschichte
    offen = submitted_antrag(titel="Noch offen", beantragter_betrag=Decimal("100.00"))
    offen = workflow.antrag_status_setzen(antrag=offen, nach="in_pruefung", by=staff)
    with naechstes_jahr():
        daten = antrag_post_data(aktionsraum=str(hoerde.pk), titel="")
        form = KorrekturForm(daten, instance=offen)
        assert not form.is_valid()
        form.regeln_pruefen(kosten=None)  # the fund of the Antrag's own year, no 500
        assert "titel" in form.errors
