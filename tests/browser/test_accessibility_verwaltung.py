"""axe-core finds no WCAG 2.1 A/AA violation on any page a staff role uses, in German and
English: the login, the start page, every list with its filters, the Antrag page in each
status, a Projektkonferenz with attendees, agenda and Beschlüsse, a Haushaltsjahr, the paper
application, the overview, the yearly report, the print views, and the forms with their errors
shown (each error tied to its field or in a message list)."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin

from antraege.models import Antrag, Auszahlung, Beteiligung, Mitglied, Rolle, Status
from antraege.rollen import LESEZUGRIFF
from antraege.services import konferenz as konferenz_dienst
from quartiere.models import Aktionsraum
from tests.factories import (
    beauftragte_user,
    entscheidungsreif,
    fonds_bewilligen,
    projektbuero_user,
    rollen_user,
    submitted_antrag,
)

from .helpers import assert_no_axe_violations
from .journey import Journey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
    pytest.mark.postgres_lauf,  # the staff pages as production renders them, on PostgreSQL
]

# Every status an Antrag page can show, set directly: the page, not the workflow, is checked.
STATUS = list(Status.values)
# The other roles see fewer steps: the statuses in which their Antrag page differs.
STATUS_DER_ROLLE = {
    "projektbuero": STATUS,
    "beauftragte": ["eingereicht", "rueckfrage", "entscheidungsreif", "bewilligt", "ausgezahlt"],
    "lesezugriff": ["eingereicht", "bewilligt", "ausgezahlt"],
}


def daten(pb):
    """Anträge of Hörde in every status, a conference with a Beschluss and an open agenda
    item, a payout waiting for its order and a bank account waiting for confirmation."""
    hoerde = Aktionsraum.objects.get(slug="hoerde")
    antraege = {}
    for status in STATUS:
        antrag = submitted_antrag(
            titel=f"Projekt {status}",
            finanzierungsquelle="projektbudget",
            beantragter_betrag=Decimal("800.00"),
        )
        geld = (
            {}
            if status in ("eingereicht", "in_pruefung", "rueckfrage")
            else {"bewilligter_betrag": Decimal("800.00")}
        )
        Antrag.objects.filter(pk=antrag.pk).update(status=status, **geld)
        antraege[status] = antrag
    bewilligt = antraege["bewilligt"]
    Auszahlung.objects.create(
        antrag=bewilligt,
        betrag=Decimal("300.00"),
        datum=date(2026, 6, 1),
        referenz="K-1",
        festgestellt_von=pb,
    )
    Antrag.objects.filter(pk=antraege["ausgezahlt"].pk).update(iban_pruefung_offen=True)
    # Who may not confirm it, listed on the page.
    Beteiligung.objects.create(
        antrag=antraege["ausgezahlt"],
        gegenstand=Beteiligung.Gegenstand.BANKVERBINDUNG,
        user=pb,
        anlass="hat die Bankverbindung geändert",
    )
    entschieden = entscheidungsreif(submitted_antrag(titel="Spielplatzfest"), pb)
    fonds_bewilligen(entschieden, Decimal("100.00"), pb)
    konferenz = entschieden.projektkonferenzen.get()
    offen = entscheidungsreif(submitted_antrag(titel="Lesepaten"), pb)
    konferenz.tagesordnung.add(offen)
    # Its members, the invitation sent, one of them befangen on the open item.
    Mitglied.objects.create(
        aktionsraum=hoerde, name="Mitglied (Testeintrag)", rolle=Rolle.BEZIRKSVERTRETUNG,
        email="m@example.org", aktiv_von=date(2026, 1, 1),
    )  # fmt: skip
    teilnahme = konferenz.teilnahmen.get()
    konferenz_dienst.einladung_versenden(konferenz=konferenz, by=pb)
    konferenz_dienst.befangenheit_erfassen(
        konferenz=konferenz, teilnahme=teilnahme, antrag=offen, grund="Vorstand", by=pb
    )
    return hoerde, antraege, konferenz


def seiten(antraege, konferenz, hj, rolle):
    pfade = ["/admin/"]
    for model in admin.site._registry:
        pfade.append(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
    pfade += [
        "/admin/antraege/antrag/?status__exact=bewilligt&aufgabe=anordnung_offen",
        *[f"/admin/antraege/antrag/{antraege[s].pk}/change/" for s in STATUS_DER_ROLLE[rolle]],
        f"/admin/antraege/antrag/{antraege['bewilligt'].pk}/history/",
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/change/",
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/beschluesse/",
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/tagesordnung/",
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/protokoll/",
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/befangenheit/",
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/einladung/1/",
        f"/admin/antraege/mitglied/{Mitglied.objects.get().pk}/change/",
        f"/admin/antraege/haushaltsjahr/{hj.pk}/change/",
        "/admin/antraege/haushaltsjahr/uebersicht/",
        "/admin/antraege/haushaltsjahr/bericht/",
        "/admin/antraege/antrag/export/",
        "/admin/antraege/antrag/papier/",
        "/admin/antraege/projektkonferenz/add/",
    ]
    return pfade


def konto(rolle, hoerde):
    if rolle == "projektbuero":
        return projektbuero_user("pb-axe")
    if rolle == "beauftragte":
        return beauftragte_user(hoerde, "ba-axe")
    return rollen_user("lz-axe", LESEZUGRIFF)


# Every role in German; in English the Projektbüro, who sees every page the other roles see
# (theirs are the same templates with fewer steps and fields).
@pytest.mark.parametrize(
    ("rolle", "sprache"),
    [("projektbuero", "de"), ("projektbuero", "en"), ("beauftragte", "de"), ("lesezugriff", "de")],
)
def test_every_staff_page_passes_axe(new_page, output_dir, rolle, sprache):
    pb = projektbuero_user()
    hoerde, antraege, konferenz = daten(pb)
    user = konto(rolle, hoerde)
    prefix = "/en" if sprache == "en" else ""
    page = new_page(locale="en-GB" if sprache == "en" else "de-DE")
    page.goto(f"{prefix}/admin/login/")
    assert_no_axe_violations(page)
    j = Journey(page, f"axe-{rolle}-{sprache}", output_dir)
    j.anmelden(user.username, sprache=sprache)
    geprueft = []
    for pfad in seiten(antraege, konferenz, antraege["bewilligt"].haushaltsjahr, rolle):
        antwort = page.goto(prefix + pfad)
        if antwort.status in (403, 404):
            continue  # not this role's page (e.g. the paper form for Lesezugriff)
        assert antwort.status == 200, pfad
        assert_no_axe_violations(page)
        geprueft.append(pfad)
    assert len(geprueft) >= 10 + len(STATUS_DER_ROLLE[rolle])

    # Forms with their errors shown: open, do what a person does wrong, wait for the error.
    def mit_fehler(pfad, falsch, fehler):
        page.goto(prefix + pfad)
        falsch()
        page.locator(fehler).first.wait_for()
        assert_no_axe_violations(page)

    def speichern():
        page.locator("input[name=_save]").click()

    if rolle != "lesezugriff":
        mit_fehler("/admin/antraege/projektkonferenz/add/", speichern, ".errornote")
        fehlerfeld = page.locator("#id_datum")
        assert "error" in (fehlerfeld.get_attribute("aria-describedby") or "") or (
            fehlerfeld.get_attribute("aria-invalid") == "true"
        )
        # A Beschluss refused for want of an amount, and a refused step, each with its message.
        mit_fehler(
            f"/admin/antraege/projektkonferenz/{konferenz.pk}/beschluesse/",
            lambda: (
                page.locator("input[type=radio][value=teilweise]").first.check(),
                page.locator(".beschluesse button[type=submit]").click(),
            ),
            "#fehler a",
        )
        mit_fehler(
            f"/admin/antraege/antrag/{antraege['in_pruefung'].pk}/change/",
            lambda: (
                page.locator("#karte-rueckfrage > summary").click(),
                page.locator("button[name=nach][value=rueckfrage]").click(),
            ),
            "#fehler-rueckfrage a",
        )
        mit_fehler(
            f"/admin/antraege/projektkonferenz/{konferenz.pk}/befangenheit/",
            lambda: page.locator(".submit-row button.default").click(),
            "#fehler a",
        )
    if rolle == "projektbuero":
        mit_fehler(
            "/admin/antraege/haushaltsjahr/add/",
            lambda: (page.locator("#id_jahr").fill(""), speichern()),
            ".errornote",
        )
        mit_fehler(
            "/admin/antraege/antrag/papier/",
            lambda: page.locator("input[type=submit].default").click(),
            "#fehler, .errornote",
        )
        mit_fehler(
            f"/admin/antraege/antrag/{antraege['bewilligt'].pk}/change/",
            lambda: (page.locator("#id_email").fill("keine-adresse"), speichern()),
            ".errornote",
        )
    j.foto("letzte-seite")
