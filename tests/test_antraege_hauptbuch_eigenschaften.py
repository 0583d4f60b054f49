"""Property: whatever sequence of grants, payouts, Rückforderungen, refunds, write-offs,
cancellations and closings staff go through, in two areas and both pots, after every step
the district pages, the budget overview (page and CSV), the yearly report (CSV), the Antrag
export (XLSX) and the sum of the bookings give the same figures; nothing is ever negative or
above its pot, and a refused step books nothing.
"""

import csv
import io
import os
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from antraege.models import Aktionsraumfonds, Antrag, Buchung, Haushaltsjahr, Status
from antraege.selectors import berichte
from antraege.selectors.hauptbuch import SPALTEN, Geldstand, antrag_geldstand, geldstand
from antraege.services import einreichung, konferenz, workflow
from antraege.services.auszahlung import auszahlung_anordnen, auszahlung_feststellen
from quartiere.models import Aktionsraum

from .factories import (
    PDF_BYTES,
    ausgaben_je_zeile,
    konferenz_fuer,
    projektbuero_user,
    submitted_antrag,
)

# In both runs, each with half of the examples from a seed of its own (together nine or ten
# different years: the simplest may come in both; five on production's database); the steps are
# sequential, the pots' locks have their own tests. Rendering without the test runner's
# template instrumentation.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("ohne_vorlagen_aufzeichnung"),
]
AUF_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
BEREICHE = ["hoerde", "wickede"]
TOEPFE = ["fonds", "projektbudget"]
# Small pots, so that grants also run into the limit.
FONDS = Decimal("3000.00")
GESAMT = 2 * FONDS + Decimal("4000.00")
CENT = Decimal("0.01")
BERICHT_SPALTEN = {
    "Bewilligt": "bewilligt",
    "Ausgezahlt": "auszahlungen",
    "Zurückerhalten": "zurueckerhalten",
    "Netto ausgezahlt": "netto_ausgezahlt",
    "Gebunden": "gebunden",
}


class Abbruch(Exception):
    """Rolls one example back."""


def euro(text):
    return Decimal(text.replace("\xa0€", "").replace(".", "").replace(",", "."))


def seite_werte(html, schluessel):
    return [euro(w) for w in re.findall(rf'data-wert="{schluessel}">([^<]*)<', html)]


# A step: what staff do, to which Antrag, and how much as a share of what is possible at
# that moment (above 100 % it must be refused). Shares keep most steps meaningful; the
# order is random, so many steps also come at the wrong moment and must be refused.
AKTIONEN = [
    "bewilligen",
    "auszahlen",
    "rueckfordern",
    "rueckzahlung",
    "niederschlagen",
    "aufheben",
    "nachweis",
    "abschliessen",
]
# "weiter" is the step the Antrag's status invites (so that cases get far); the others come
# at any moment and are often refused.
WEITER = {
    Status.ENTSCHEIDUNGSREIF: ["bewilligen"],
    Status.BEWILLIGT: ["auszahlen", "auszahlen", "aufheben"],
    Status.TEILWEISE_AUSGEZAHLT: ["auszahlen", "rueckfordern", "nachweis"],
    Status.AUSGEZAHLT: ["rueckfordern", "nachweis"],
    Status.NACHWEIS_EINGEREICHT: ["abschliessen", "rueckfordern"],
    Status.RUECKFORDERUNG: ["rueckzahlung", "rueckzahlung", "niederschlagen", "abschliessen"],
}
schritt = st.tuples(
    st.sampled_from(["weiter"] * len(AKTIONEN) + AKTIONEN),
    st.integers(min_value=0, max_value=4) | st.just(0),
    st.sampled_from([1, 10, 33, 50, 99, 100, 100, 100, 101, 150]),
)


def betrag_fuer(aktion, antrag, anteil):
    """The amount for a step: `anteil` percent of what the step could take right now."""
    stand = antrag_geldstand(antrag)
    grenze = {
        "bewilligen": antrag.beantragter_betrag,
        "auszahlen": stand.noch_auszuzahlen,
        "rueckfordern": stand.netto_ausgezahlt,
        "rueckzahlung": stand.rueckzahlung_offen,
        "nachweis": stand.netto_ausgezahlt,
    }.get(aktion, Decimal("0"))
    return max(CENT, (grenze * anteil / 100).quantize(CENT))


@pytest.fixture
def konten():
    return projektbuero_user("pb-eins"), projektbuero_user("pb-zwei")


@pytest.fixture
def staff_client(konten):
    client = Client()
    client.force_login(konten[0])
    return client


def aufsetzen():
    hj = Haushaltsjahr.objects.get(jahr=timezone.localdate().year)
    hj.gesamtbudget = GESAMT
    hj.save()
    Aktionsraumfonds.objects.filter(haushaltsjahr=hj).update(betrag=Decimal("0.00"))
    Aktionsraumfonds.objects.filter(haushaltsjahr=hj, aktionsraum__slug__in=BEREICHE).update(
        betrag=FONDS
    )
    antraege = []
    # Two fund Anträge in Hörde and two central ones share a pot, so grants hit its limit.
    for i, (slug, topf) in enumerate(
        [(b, t) for b in BEREICHE for t in TOEPFE] + [("hoerde", "fonds")]
    ):
        antrag = submitted_antrag(
            aktionsraum=Aktionsraum.objects.get(slug=slug),
            finanzierungsquelle=topf,
            beantragter_betrag=Decimal("2600.00"),
            titel=f"Projekt {i} {slug} {topf}",
        )
        Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
        antraege.append(antrag)
    return hj, antraege


def ausfuehren(aktion, antrag, betrag, eins, zwei):
    antrag = Antrag.objects.get(pk=antrag.pk)
    heute = timezone.localdate()
    if aktion == "bewilligen":
        if antrag.finanzierungsquelle == "fonds":
            konferenz.beschluss_fassen(
                konferenz=konferenz_fuer(antrag.aktionsraum, [antrag]),
                antrag=antrag,
                ergebnis="bewilligt",
                betrag=betrag,
                begruendung="Teilbewilligung",
                abstimmung=konferenz.EINVERNEHMLICH,
                by=eins,
            )
        else:
            workflow.antrag_bewilligen(antrag=antrag, betrag=betrag, by=eins, kommentar="Teil")
    elif aktion == "auszahlen":
        auszahlung = auszahlung_feststellen(
            antrag=antrag, betrag=betrag, datum=heute, referenz="KZ", by=eins
        )
        auszahlung_anordnen(auszahlung=auszahlung, by=zwei)
    elif aktion == "rueckfordern":
        workflow.antrag_rueckfordern(antrag=antrag, betrag=betrag, by=eins, kommentar="Rest")
    elif aktion == "rueckzahlung":
        workflow.rueckzahlung_buchen(
            antrag=antrag, betrag=betrag, datum=heute, referenz=f"R{betrag}", by=zwei
        )
    elif aktion == "niederschlagen":
        workflow.rueckforderung_niederschlagen(antrag=antrag, by=zwei, grund="uneinbringlich")
    elif aktion == "aufheben":
        workflow.bewilligung_aufheben(antrag=antrag, by=eins, kommentar="abgesagt")
    elif aktion == "nachweis":
        einreichung.verwendungsnachweis_einreichen(
            antrag=antrag,
            bericht="Bericht",
            ausgaben=ausgaben_je_zeile(antrag, betrag),
            dateien=[SimpleUploadedFile("beleg.pdf", PDF_BYTES, "application/pdf")],
        )
    elif aktion == "abschliessen":
        workflow.antrag_abschliessen(antrag=antrag, by=eins)


class Schatten:
    """The expected figures of one Antrag, by plain arithmetic on the steps that went through
    (independent of the selectors under test)."""

    def __init__(self):
        self.bewilligt = self.storniert = self.bezahlt = Decimal("0")
        self.gefordert = self.erhalten = self.abgeschrieben = Decimal("0")

    def buchen(self, aktion, betrag):
        if aktion == "bewilligen":
            self.bewilligt += betrag
        elif aktion == "auszahlen":
            self.bezahlt += betrag
        elif aktion == "rueckfordern":
            self.gefordert += betrag
        elif aktion == "rueckzahlung":
            self.erhalten += betrag
        elif aktion == "niederschlagen":
            self.abgeschrieben = self.gefordert - self.erhalten
        elif aktion == "aufheben":
            self.storniert = self.bewilligt
        elif aktion == "abschliessen":
            self.storniert += self.bewilligt - self.storniert - self.bezahlt

    def erwartet(self):
        return {
            "bewilligt": self.bewilligt - self.storniert,
            "auszahlungen": self.bezahlt,
            "netto_ausgezahlt": self.bezahlt - self.erhalten,
            "zurueckgefordert": self.gefordert,
            "zurueckerhalten": self.erhalten,
            "niedergeschlagen": self.abgeschrieben,
            "gebunden": self.bewilligt - self.storniert - self.erhalten,
        }


def hauptbuch():
    return list(Buchung.objects.order_by("id").values_list("id", "art", "betrag"))


def bezirksseite_pruefen(client, area, antraege, staende, fonds_stand):
    """The district page: the fund's figures, and each list's rows adding up to its totals
    and to the ledger (fund projects under the fund, central ones in their own list)."""
    html = client.get(f"/aktionsraeume/{area.slug}/").content.decode()
    fonds_teil, _, zentral_teil = html.partition('id="zentral-projekte"')
    assert seite_werte(fonds_teil, "gebunden")[0] == fonds_stand.gebunden
    assert seite_werte(fonds_teil, "bewilligt")[0] == fonds_stand.bewilligt
    assert seite_werte(fonds_teil, "verfuegbar") == [FONDS - fonds_stand.gebunden]
    zentral_stand = sum(
        (
            staende[a.pk]
            for a in antraege
            if a.aktionsraum_id == area.pk and a.finanzierungsquelle == "projektbudget"
        ),
        Geldstand(),
    )
    for teil, stand, kopfzeile in [(fonds_teil, fonds_stand, 1), (zentral_teil, zentral_stand, 0)]:
        if not stand.bewilligt:
            assert not seite_werte(teil, "summe-bewilligt")
            continue
        # Each project shows its grant; the rows add up to the list's total and the ledger.
        zeilen_werte = seite_werte(teil, "bewilligt")[kopfzeile:]
        summe = seite_werte(teil, "summe-bewilligt")
        assert [sum(zeilen_werte, Decimal("0"))] == summe == [stand.bewilligt]


def pruefen(hj, antraege, client, schatten, bereich):
    """Every page, download and the bookings agree; nothing negative or above its pot.
    The district page is read for the area of the step (the other one did not change; its
    figures are still checked in the overview)."""
    staende = {a.pk: antrag_geldstand(Antrag.objects.get(pk=a.pk)) for a in antraege}
    for pk, stand in staende.items():
        assert {k: getattr(stand, k) for k in schatten[pk].erwartet()} == schatten[pk].erwartet()
    for stand in staende.values():
        for spalte in SPALTEN:
            assert getattr(stand, spalte) >= 0
        assert 0 <= stand.netto_ausgezahlt <= stand.bewilligt
        assert stand.rueckzahlung_offen >= 0 and stand.noch_auszuzahlen >= 0
        assert 0 <= stand.gebunden <= stand.bewilligt

    uebersicht = berichte.budget_uebersicht(haushaltsjahr=hj)
    zeilen = {z["name"]: z for z in uebersicht["zeilen"]}
    for zeile in uebersicht["zeilen"]:
        assert 0 <= zeile["gebunden"] <= zeile["budget"] and zeile["verfuegbar"] >= 0
    buchungen_gebunden = geldstand(Buchung.objects.filter(haushaltsjahr=hj)).gebunden
    assert (
        uebersicht["summe"]["gebunden"]
        == buchungen_gebunden
        == sum((s.gebunden for s in staende.values()), Decimal("0"))
    )

    for slug in BEREICHE:
        area = Aktionsraum.objects.get(slug=slug)
        fonds_pk = [
            a.pk
            for a in antraege
            if a.aktionsraum_id == area.pk and a.finanzierungsquelle == "fonds"
        ]
        fonds_stand = sum((staende[pk] for pk in fonds_pk), Geldstand())
        if slug == bereich:
            bezirksseite_pruefen(client, area, antraege, staende, fonds_stand)
        name = area.name
        assert zeilen[name]["gebunden"] == fonds_stand.gebunden
        assert zeilen[name]["auszahlungen"] == fonds_stand.auszahlungen
        assert zeilen[name]["zurueckerhalten"] == fonds_stand.zurueckerhalten
        assert zeilen[name]["netto_ausgezahlt"] == fonds_stand.netto_ausgezahlt

    zentral = sum(
        (staende[a.pk] for a in antraege if a.finanzierungsquelle == "projektbudget"),
        Geldstand(),
    )
    zentral_zeile = uebersicht["zeilen"][-1]
    assert zentral_zeile["gebunden"] == zentral.gebunden
    assert zentral_zeile["budget"] == GESAMT - 2 * FONDS

    # The overview page and its CSV show the selector's figures.
    seite = client.get(f"/admin/antraege/haushaltsjahr/uebersicht/?jahr={hj.jahr}").content
    gesamt = re.search(r"<tfoot>(.*?)</tfoot>", seite.decode(), re.S).group(1)
    gebunden_seite = re.search(r'data-spalte="gebunden">([^<]*)<', gesamt).group(1)
    assert euro(gebunden_seite) == buchungen_gebunden
    text = client.get("/admin/antraege/haushaltsjahr/uebersicht/csv/").content.decode("utf-8-sig")
    reihen = list(csv.reader(io.StringIO(text), delimiter=";"))
    kopf = reihen[0]
    assert Decimal(reihen[-1][kopf.index("Gebunden")].replace(",", ".")) == buchungen_gebunden

    # The yearly report: each area's total and the grand total from the same bookings.
    text = client.get("/admin/antraege/haushaltsjahr/bericht/csv/").content.decode("utf-8-sig")
    reihen = list(csv.reader(io.StringIO(text), delimiter=";"))
    kopf = reihen[0]
    for reihe in reihen[1:]:
        if reihe[1] != "alle Ziele":
            continue
        pks = [a.pk for a in antraege if reihe[0] in ("Alle Aktionsräume", a.aktionsraum.name)]
        erwartet = sum((staende[pk] for pk in pks), Geldstand())
        for spalte, feld in BERICHT_SPALTEN.items():
            wert = Decimal(reihe[kopf.index(spalte)].replace(",", "."))
            assert wert == getattr(erwartet, feld)

    # The Antrag export (XLSX): each Antrag's ledger columns.
    spalten = ["aktenzeichen", "ausgezahlt", "netto_ausgezahlt", "gebunden"]
    felder = {f"antragresource_{n}": "on" for n in spalten}
    response = client.post(
        "/admin/antraege/antrag/export/", {"format": "1", "resource": "0", **felder}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    export = {r[0]: r[1:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    for antrag in antraege:
        zeile = tuple(Decimal(str(v)).quantize(CENT) for v in export[antrag.aktenzeichen])
        stand = staende[antrag.pk]
        assert zeile == (stand.auszahlungen, stand.netto_ausgezahlt, stand.gebunden)


# Each example is a whole year of steps with every page and export read: ten in every profile,
# five per database run (without PostgreSQL, on a laptop, only the SQLite five).
@seed(2 if AUF_POSTGRES else 1)
@settings(max_examples=5)
@given(schritte=st.lists(schritt, min_size=10, max_size=20))
def test_every_page_export_and_the_bookings_agree_after_every_step(schritte, konten, staff_client):
    eins, zwei = konten
    try:
        with transaction.atomic():
            hj, antraege = aufsetzen()
            schatten = {a.pk: Schatten() for a in antraege}
            for aktion, index, anteil in schritte:
                antrag = Antrag.objects.get(pk=antraege[index].pk)
                if aktion == "weiter":
                    moeglich = WEITER.get(antrag.status, ["abschliessen"])
                    aktion = moeglich[anteil % len(moeglich)]
                betrag = betrag_fuer(aktion, antrag, anteil)
                vorher = hauptbuch()
                try:
                    with transaction.atomic():
                        ausfuehren(aktion, antrag, betrag, eins, zwei)
                except ValidationError:
                    assert hauptbuch() == vorher
                else:
                    schatten[antrag.pk].buchen(aktion, betrag)
                pruefen(hj, antraege, staff_client, schatten, antrag.aktionsraum.slug)
            raise Abbruch
    except Abbruch:
        pass
