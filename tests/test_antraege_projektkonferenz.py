"""Fund money is granted only through a Projektkonferenz Beschluss, under the programme's rules."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from antraege.models import Antrag, Beschluss, Buchung, Status
from antraege.services.konferenz import EINVERNEHMLICH, beschluss_fassen, tagesordnung_pruefen

from .factories import konferenz_fuer, submitted_antrag

pytestmark = pytest.mark.django_db


@pytest.fixture
def antrag():
    antrag = submitted_antrag(beantragter_betrag=Decimal("800.00"))
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    return Antrag.objects.get(pk=antrag.pk)


def fassen(konferenz, antrag, staff, **kwargs):
    kwargs.setdefault("abstimmung", EINVERNEHMLICH)
    return beschluss_fassen(konferenz=konferenz, antrag=antrag, by=staff, **kwargs)


def test_a_grant_by_beschluss_books_the_fund(staff, antrag):
    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag])
    beschluss = fassen(konferenz, antrag, staff, ergebnis="bewilligt", betrag=Decimal("800.00"))
    antrag.refresh_from_db()
    assert (antrag.status, antrag.bewilligter_betrag) == (Status.BEWILLIGT, Decimal("800.00"))
    assert beschluss.betrag == Decimal("800.00")
    assert Buchung.objects.get().fonds.aktionsraum == antrag.aktionsraum
    assert "Projektkonferenz" in antrag.verlauf.last().kommentar


def test_no_beschluss_without_the_bezirksbuergermeister(staff, antrag):
    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag], mit_bezirksbuergermeister=False)
    with pytest.raises(ValidationError, match="Bezirksbürgermeister"):
        fassen(konferenz, antrag, staff, ergebnis="bewilligt", betrag=Decimal("800.00"))
    assert not Buchung.objects.exists() and not Beschluss.objects.exists()


def test_no_beschluss_before_the_conference_took_place(staff, antrag):
    morgen = timezone.localdate() + timedelta(days=1)
    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag], datum=morgen)
    with pytest.raises(ValidationError, match="erst ab dem Tag der Konferenz"):
        fassen(konferenz, antrag, staff, ergebnis="bewilligt", betrag=Decimal("800.00"))


def test_no_beschluss_on_an_antrag_off_the_agenda(staff, antrag):
    konferenz = konferenz_fuer(antrag.aktionsraum, [])
    with pytest.raises(ValidationError, match="nicht auf der Tagesordnung"):
        fassen(konferenz, antrag, staff, ergebnis="bewilligt", betrag=Decimal("800.00"))


def test_the_agenda_takes_only_fund_antraege_of_its_own_area(antrag):
    fremd = submitted_antrag(aktionsraum=antrag.aktionsraum.__class__.objects.get(slug="marten"))
    zentral = submitted_antrag(finanzierungsquelle="projektbudget")
    with pytest.raises(ValidationError, match="Nicht passend") as exc:
        tagesordnung_pruefen(aktionsraum=antrag.aktionsraum, antraege=[fremd, zentral])
    assert fremd.aktenzeichen in str(exc.value) and zentral.aktenzeichen in str(exc.value)


def test_rejection_needs_a_reason_and_vertagt_keeps_the_antrag_open(staff, antrag):
    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag])
    with pytest.raises(ValidationError, match="begründen"):
        fassen(konferenz, antrag, staff, ergebnis="abgelehnt")
    fassen(konferenz, antrag, staff, ergebnis="vertagt", begruendung="Kostenplan fehlt")
    antrag.refresh_from_db()
    assert antrag.status == Status.ENTSCHEIDUNGSREIF
    later = konferenz_fuer(antrag.aktionsraum, [antrag])
    fassen(later, antrag, staff, ergebnis="abgelehnt", begruendung="Kein Quartiersbezug")
    assert Antrag.objects.get(pk=antrag.pk).status == Status.ABGELEHNT


def test_one_beschluss_per_antrag_and_conference(staff, antrag):
    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag])
    fassen(konferenz, antrag, staff, ergebnis="vertagt")
    with pytest.raises(ValidationError, match="schon einen Beschluss"):
        fassen(konferenz, antrag, staff, ergebnis="vertagt")


def test_a_grant_above_the_fund_leaves_no_beschluss(staff):
    antraege = []
    for betrag in ("4500.00", "900.00"):
        a = submitted_antrag(beantragter_betrag=Decimal(betrag))
        Antrag.objects.filter(pk=a.pk).update(status=Status.ENTSCHEIDUNGSREIF)
        antraege.append(a)
    konferenz = konferenz_fuer(antraege[0].aktionsraum, antraege)
    fassen(konferenz, antraege[0], staff, ergebnis="bewilligt", betrag=Decimal("4500.00"))
    with pytest.raises(ValidationError, match="noch 500,00 € verfügbar"):
        fassen(konferenz, antraege[1], staff, ergebnis="bewilligt", betrag=Decimal("900.00"))
    assert konferenz.beschluesse.count() == 1


def test_beschluss_through_the_admin_and_the_printable_protocol(client, staff, antrag):
    client.force_login(staff)
    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag])
    response = client.post(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/beschluesse/",
        {
            f"tp-{antrag.pk}-ergebnis": "bewilligt",
            f"tp-{antrag.pk}-betrag": "800,00",
            f"tp-{antrag.pk}-abstimmung": "einvernehmlich",
        },
        follow=True,
    )
    assert f"Eingetragen: {antrag.aktenzeichen} bewilligt." in response.content.decode()
    protokoll = client.get(f"/admin/antraege/projektkonferenz/{konferenz.pk}/protokoll/")
    html = protokoll.content.decode()
    assert "Bezirksbürgermeister/in" in html and antrag.aktenzeichen in html
    assert "800,00\xa0€" in html and "bewilligt" in html


def test_a_refused_beschluss_comes_back_as_a_message(client, staff, antrag):
    client.force_login(staff)
    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag], mit_bezirksbuergermeister=False)
    response = client.post(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/beschluesse/",
        {
            f"tp-{antrag.pk}-ergebnis": "bewilligt",
            f"tp-{antrag.pk}-betrag": "800,00",
            f"tp-{antrag.pk}-abstimmung": "einvernehmlich",
        },
        follow=True,
    )
    assert "Bezirksbürgermeister" in response.content.decode()
    assert not Beschluss.objects.exists()


@pytest.mark.parametrize("wahl", ["abc", "²", "٣", "1\x00", "9" * 30, "-1", " 1"])
def test_a_malformed_outcome_is_refused_with_a_message(client, staff, antrag, wahl):
    client.force_login(staff)
    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag])
    response = client.post(
        f"/admin/antraege/projektkonferenz/{konferenz.pk}/beschluesse/",
        {
            f"tp-{antrag.pk}-ergebnis": wahl,
            f"tp-{antrag.pk}-betrag": "800,00",
            f"tp-{antrag.pk}-abstimmung": "einvernehmlich",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Bitte wählen Sie ein Ergebnis aus der Liste." in response.content.decode()
    assert not Beschluss.objects.exists()
