"""The staff workspace: allowed list lookups, the start page per role, the Nachweis
correction step, the printed agenda and the unlocking of locked-out accounts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from antraege.models import Anmeldesperre, Antrag, Status
from antraege.services import einreichung, workflow
from quartiere.models import Aktionsraum

from .factories import (
    PDF_BYTES,
    BeauftragteFactory,
    ausgaben_je_zeile,
    auszahlen,
    beauftragte_user,
    entscheidungsreif,
    konferenz_fuer,
    projektbuero_user,
    rollen_user,
    submitted_antrag,
    token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pb_client(client):
    client.force_login(projektbuero_user())
    return client


@pytest.mark.parametrize(
    "query",
    [
        "status_token__regex=^a",
        "status_token__startswith=a",
        "aktenzeichen__regex=(",
        "iban__startswith=DE",
        "email__icontains=@",
        "aktionsraum__beauftragte__user__password__startswith=p",
        "status__regex=.*",
        "eingereicht_am__year__gte=2000",
    ],
)
def test_the_antrag_list_refuses_lookups_it_does_not_offer_with_a_german_400(pb_client, query):
    submitted_antrag()
    response = pb_client.get(f"/admin/antraege/antrag/?{query}")
    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/antraege/antrag/?status__exact=rueckfrage",
        "/admin/antraege/antrag/?aktionsraum__id__exact=1",
        "/admin/antraege/antrag/?aktionsraum__zustaendigkeit__exact=dezernat",
        "/admin/antraege/antrag/?haushaltsjahr__id__exact=1&eingang__exact=papier",
        "/admin/antraege/antrag/?eingereicht_am__year=2026&eingereicht_am__month=11",
        "/admin/antraege/antrag/?aufgabe=neu&q=Projekt",
        "/admin/antraege/antrag/?aufgabe=gibt-es-nicht",
        "/admin/antraege/projektkonferenz/?aktionsraum__id__exact=1&datum__year=2026",
        "/admin/antraege/ausgehendemail/?gesendet_am__isempty=1",
        "/admin/antraege/anmeldesperre/?attempt_time__gte=2026-01-01+00:00:00%2B00:00",
        "/admin/quartiere/aktionsraum/?art__exact=aktionsraum&is_active__exact=1",
    ],
)
def test_the_lists_own_filters_still_work(pb_client, url):
    assert pb_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/antraege/projektkonferenz/?tagesordnung__status_token__regex=^a",
        "/admin/antraege/ausgehendemail/?text__contains=status",
        "/admin/quartiere/beauftragte/?user__password__startswith=p",
        "/admin/antraege/haushaltsjahr/?gesamtbudget__gt=1",
    ],
)
def test_every_admin_list_refuses_foreign_lookups(pb_client, url):
    assert pb_client.get(url).status_code == 400


def test_the_start_page_counts_only_the_beauftragtes_areas_and_links_each_number(client):
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    marten = Aktionsraum.objects.get(slug="marten")
    user = beauftragte_user(hoerde)
    submitted_antrag(titel="In Hörde")
    submitted_antrag(titel="In Marten", aktionsraum=marten)
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert "Aktionsplan Soziale Stadt – Verwaltung" in html
    assert "Django-Verwaltung" not in html
    link = 'href="/admin/antraege/antrag/?aufgabe=neu" aria-label="Neue Anträge'
    assert f'{link} (noch nicht in Prüfung): 1"' in html
    liste = client.get("/admin/antraege/antrag/?aufgabe=neu").content.decode()
    assert "In Hörde" in liste and "In Marten" not in liste
    assert 'href="/admin/antraege/haushaltsjahr/uebersicht/"' in html
    assert 'href="/"' in html  # back to the public portal


def test_the_start_page_shows_open_rueckfragen_with_days_waiting(pb_client):
    import time_machine

    staff = projektbuero_user("pb2")
    with time_machine.travel(timezone.now() - timedelta(days=9)):
        antrag = submitted_antrag(titel="Lesecafé")
        for nach in [Status.IN_PRUEFUNG, Status.RUECKFRAGE]:
            workflow.antrag_status_setzen(antrag=antrag, nach=nach, by=staff, kommentar="Wer?")
    html = pb_client.get("/admin/").content.decode()
    assert f"{antrag.aktenzeichen} – Lesecafé" in html and "wartet seit 9 Tagen" in html


def test_the_start_page_lists_fund_antraege_not_yet_on_an_agenda(pb_client):
    staff = projektbuero_user("pb2")
    frei = entscheidungsreif(submitted_antrag(titel="Frei"), staff)
    geplant = entscheidungsreif(submitted_antrag(titel="Geplant"), staff)
    konferenz_fuer(geplant.aktionsraum, [geplant], datum=timezone.localdate() + timedelta(days=7))
    liste = pb_client.get("/admin/antraege/antrag/?aufgabe=ohne_tagesordnung").content.decode()
    assert frei.aktenzeichen in liste and geplant.aktenzeichen not in liste
    html = pb_client.get("/admin/").content.decode()
    assert "Nächste Projektkonferenzen" in html and "1 Antrag auf der Tagesordnung" in html


def test_admin_lists_the_lock_outs_under_a_plain_german_name(pb_client):
    html = pb_client.get("/admin/").content.decode()
    assert "Gesperrte Anmeldungen" in html
    assert "Zugriffsversuche" not in html and "AXES" not in html.upper().replace("TAXES", "")


def test_only_the_projektbuero_may_unlock(client):
    lesen = rollen_user("lesen", "Lesezugriff")
    client.force_login(lesen)
    assert client.get("/admin/antraege/anmeldesperre/").status_code == 403
    pb = projektbuero_user()
    assert pb.has_perm("antraege.delete_anmeldesperre")
    assert Anmeldesperre._meta.verbose_name_plural == "Gesperrte Anmeldungen"


# --- Verwendungsnachweis back for correction ---------------------------------------------------


@pytest.fixture
def nachweis_eingereicht():
    staff = projektbuero_user("kasse")
    antrag = entscheidungsreif(
        submitted_antrag(finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("500")),
        staff,
    )
    workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("500.00"), by=staff)
    auszahlen(antrag, "500.00", staff, referenz="K")
    einreichung.verwendungsnachweis_einreichen(
        antrag=antrag,
        bericht="Erledigt.",
        ausgaben=ausgaben_je_zeile(antrag, Decimal("500.00")),
        dateien=[SimpleUploadedFile("b.pdf", PDF_BYTES, "application/pdf")],
    )
    return staff, Antrag.objects.get(pk=antrag.pk)


def test_a_nachweis_given_back_needs_a_reason(nachweis_eingereicht):
    staff, antrag = nachweis_eingereicht
    with pytest.raises(ValidationError, match="was am Verwendungsnachweis korrigiert werden muss"):
        workflow.nachweis_zurueckgeben(antrag=antrag, by=staff, kommentar=" ")
    assert Antrag.objects.get(pk=antrag.pk).status == Status.NACHWEIS_EINGEREICHT


def test_a_beauftragte_may_not_give_a_nachweis_back(nachweis_eingereicht):
    _staff, antrag = nachweis_eingereicht
    user = beauftragte_user(antrag.aktionsraum)
    with pytest.raises(PermissionDenied):
        workflow.nachweis_zurueckgeben(antrag=antrag, by=user, kommentar="Beleg fehlt")


def test_the_applicant_corrects_a_nachweis_given_back_and_it_can_be_closed(nachweis_eingereicht):
    staff, antrag = nachweis_eingereicht
    workflow.nachweis_zurueckgeben(antrag=antrag, by=staff, kommentar="Beleg 2 fehlt")
    with pytest.raises(ValidationError):
        workflow.antrag_abschliessen(antrag=antrag, by=staff)
    einreichung.verwendungsnachweis_einreichen(
        antrag=antrag,
        bericht="Mit Beleg 2.",
        ausgaben=ausgaben_je_zeile(antrag, Decimal("500.00")),
        dateien=[SimpleUploadedFile("b2.pdf", PDF_BYTES, "application/pdf")],
    )
    workflow.antrag_abschliessen(antrag=antrag, by=staff)
    antrag = Antrag.objects.get(pk=antrag.pk)
    assert antrag.status == Status.ABGESCHLOSSEN
    assert [v.von for v in antrag.verlauf.all()][-2:] == [
        Status.NACHWEIS_KORREKTUR,
        Status.NACHWEIS_EINGEREICHT,
    ]


def test_the_status_page_shows_what_to_correct(client, nachweis_eingereicht):
    staff, antrag = nachweis_eingereicht
    workflow.nachweis_zurueckgeben(antrag=antrag, by=staff, kommentar="Beleg <2> fehlt")
    html = client.get(f"/antrag/status/{token(antrag)}/").content.decode()
    assert "Beleg &lt;2&gt; fehlt" in html and "Verwendungsnachweis korrigieren" in html
    form = client.get(f"/antrag/status/{token(antrag)}/nachweis/").content.decode()
    assert "Erledigt." in form  # the earlier report is prefilled


def test_the_printed_agenda_lists_each_antrag_with_what_it_asks_for(pb_client):
    staff = projektbuero_user("pb2")
    antrag = entscheidungsreif(
        submitted_antrag(titel="Nachbarschaftsfest", beantragter_betrag=Decimal("1500.00")),
        staff,
    )
    fremd = submitted_antrag(titel="Anderswo", aktionsraum=Aktionsraum.objects.get(slug="marten"))
    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag])
    html = pb_client.get(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/tagesordnung/"
    ).content.decode()
    assert "TOP 1: " + antrag.aktenzeichen in html
    assert "1.500,00" in html and "Nachbarschaften und sozialen Zusammenhalt" in html
    assert "Beschreibung" in html and fremd.aktenzeichen not in html


def test_a_beauftragte_cannot_print_another_areas_agenda(client):
    marten = Aktionsraum.objects.get(slug="marten")
    konferenz = konferenz_fuer(marten)
    client.force_login(beauftragte_user(Aktionsraum.objects.get(slug="hoerde")))
    url = f"/admin/antraege/projektkonferenz/{konferenz.pk}/tagesordnung/"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("rolle", ["Projektbüro", "Aktionsraumbeauftragte", "Lesezugriff"])
def test_every_role_has_a_start_page_with_the_way_to_the_overview(client, rolle):
    user = rollen_user("person", rolle)
    if rolle == "Aktionsraumbeauftragte":
        Aktionsraum.objects.get(slug="hoerde").beauftragte.add(BeauftragteFactory(user=user))
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert "Was zu tun ist" in html
    assert 'href="/admin/antraege/haushaltsjahr/uebersicht/"' in html
    assert client.get("/admin/antraege/haushaltsjahr/uebersicht/").status_code == 200


def test_every_registered_admin_takes_only_its_own_lookups():
    from django.contrib import admin

    from antraege.admin.mixins import GesichertMixin

    ohne = [
        m.__name__ for m, a in admin.site._registry.items() if not isinstance(a, GesichertMixin)
    ]
    assert ohne == []


def test_the_user_list_refuses_a_password_lookup(client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("chef", password="Lang-genug-2026!"))
    assert client.get("/admin/auth/user/?password__startswith=md5").status_code == 400
    assert client.get("/admin/auth/user/?is_staff__exact=1").status_code == 200
