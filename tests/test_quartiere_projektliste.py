"""The district page for residents (issue 37, point 8): the fund as "Noch verfügbar: … von …"
with one plain sentence and the accounting behind "Wie wir rechnen"; the funded projects with
title, goal, date, place and granted amount, newest first, so that neighbours can join; date
and place only where the Antrag was made under the form that says they are shown."""

import importlib
import re
from datetime import date
from decimal import Decimal

import pytest

from antraege.models import Antrag
from antraege.services import einreichung

from .factories import (
    antrag_daten,
    entscheidungsreif,
    fonds_bewilligen,
    projektbuero_user,
    submitted_antrag,
)

pytestmark = pytest.mark.django_db


def bewilligt(staff, titel, beginn, ende, ort, betrag, **extra):
    antrag = submitted_antrag(
        titel=titel,
        beginn=beginn,
        ende=ende,
        durchfuehrungsort=ort,
        beantragter_betrag=Decimal(betrag),
        **extra,
    )
    fonds_bewilligen(entscheidungsreif(antrag, staff), Decimal(betrag), staff)
    return Antrag.objects.get(pk=antrag.pk)


def projekte(html):
    liste = re.search(r'<ul class="projektliste.*?</ul>', html, re.S).group(0)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", teil).split())
        for teil in re.findall(r'<li class="projekt">(.*?)</li>', liste, re.S)
    ]


def test_projects_newest_first_with_date_place_goal_and_amount(client):
    staff = projektbuero_user()
    bewilligt(staff, "Lesecafé", date(2027, 3, 4), date(2027, 3, 4), "Stadtteilbibliothek", "300")
    bewilligt(staff, "Hoffest", date(2027, 6, 12), date(2027, 6, 13), "Hof der Grundschule", "1200")
    html = client.get("/aktionsraeume/hoerde/").content.decode()
    assert projekte(html) == [
        "Hoffest Ziel: Nachbarschaften und sozialen Zusammenhalt im Quartier stärken "
        "12. Juni 2027 bis 13. Juni 2027 · Hof der Grundschule Bewilligt: 1.200,00 €",
        "Lesecafé Ziel: Nachbarschaften und sozialen Zusammenhalt im Quartier stärken "
        "4. März 2027 · Stadtteilbibliothek Bewilligt: 300,00 €",
    ]
    assert "Zusammen bewilligt: 1.500,00 €" in " ".join(re.sub(r"<[^>]+>", " ", html).split())
    en = client.get("/en/aktionsraeume/hoerde/").content.decode()
    assert "12 June 2027 to 13 June 2027 · Hof der Grundschule" in " ".join(
        re.sub(r"<[^>]+>", " ", en).split()
    )


def test_an_antrag_not_made_under_that_promise_shows_no_date_nor_place(client):
    staff = projektbuero_user()
    alt = bewilligt(staff, "Erzählcafé", date(2027, 5, 1), date(2027, 5, 1), "Bei Müllers", "200")
    Antrag.objects.filter(pk=alt.pk).update(termin_ort_oeffentlich=False)
    html = client.get("/aktionsraeume/hoerde/").content.decode()
    (zeile,) = projekte(html)
    assert zeile.startswith("Erzählcafé Ziel:") and zeile.endswith("Bewilligt: 200,00 €")
    assert "Bei Müllers" not in html and "1. Mai 2027" not in html


def test_online_anträge_allow_it_paper_ones_and_earlier_ones_do_not():
    staff = projektbuero_user()
    online = submitted_antrag()
    assert online.termin_ort_oeffentlich
    papier = einreichung.antrag_einreichen(
        daten=antrag_daten(email=""),
        kosten=[("Material", Decimal("100.00"))],
        erfasst_von=staff,
    )
    assert not papier.termin_ort_oeffentlich
    from django.apps import apps

    migration = importlib.import_module("antraege.migrations.0024_termin_ort_oeffentlich")
    migration.bisherige_nicht_oeffentlich(apps, None)
    assert not Antrag.objects.filter(termin_ort_oeffentlich=True).exists()


def test_the_money_in_plain_words_and_the_accounting_behind_a_disclosure(client):
    staff = projektbuero_user()
    bewilligt(staff, "Hoffest", date(2027, 6, 12), date(2027, 6, 12), "Hof", "1800")
    html = client.get("/aktionsraeume/hoerde/").content.decode()
    assert 'data-wert="verfuegbar-satz">Noch verfügbar: 3.200\xa0€ von 5.000\xa0€<' in html
    vor, rechnung, nach = re.split(r"<details[^>]*>|</details>", html)
    # The accounting words only behind "Wie wir rechnen".
    assert "<summary>Wie wir rechnen</summary>" in rechnung
    for wort in ["Fest verplant", "Von Projekten zurückgezahlt", "Fonds insgesamt"]:
        assert wort in rechnung and wort not in vor + nach
    for wort in ["Gebunden", "Zurückerhalten", "abzüglich"]:
        assert wort not in vor + nach
