"""Staff see the letter before a step that sends it, and write an internal note the applicant
never sees (issue 16, point 5), in German and English, at 1280 and 375 px, with axe on the
preview page."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from antraege.models import Antrag, Status
from tests.factories import projektbuero_user, submitted_antrag

from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling, t
from .journey import Journey, schritt_nehmen

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]


@pytest.mark.parametrize("sprache", ["de", "en"])
@pytest.mark.parametrize("breite", [1280, 375])
def test_staff_preview_the_grant_letter_then_grant_with_an_internal_note(
    new_page, output_dir, sprache, breite
):
    staff = projektbuero_user()
    antrag = submitted_antrag(
        finanzierungsquelle="projektbudget", beantragter_betrag=Decimal("800.00"), sprache=sprache
    )
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    j = Journey(new_page(width=breite), f"brief-vorschau-{sprache}-{breite}", output_dir)
    page = j.page
    j.anmelden(staff.username, sprache=sprache)
    page.goto(("/en" if sprache == "en" else "") + f"/admin/antraege/antrag/{antrag.pk}/change/")
    bewilligen = t(sprache, "Bewilligen")
    # The step's own card: its amount, its comment and note, its preview button.
    schritt_nehmen(
        page,
        bewilligen,
        {
            t(sprache, "Kommentar (bei weniger als beantragt: Begründung)"): (
                "Die Saalmiete übernimmt der Bezirk."
            ),
            t(sprache, "Interne Notiz (nur für die Verwaltung)"): "Rücksprache mit Bezirk",
            t(sprache, "Betrag der Bewilligung"): "500",
        },
        knopf=t(sprache, "E-Mail-Vorschau"),
    )

    vorschau = page.locator(".vorschau-text")
    vorschau.wait_for()
    j.foto("vorschau")
    # The letter is in the Antrag's language, whatever the staff page's language.
    with translation.override(sprache):
        erwartet = str(translation.gettext(
            "Wir bewilligen Ihnen %(bewilligt)s von den beantragten %(beantragt)s."
        ))  # fmt: skip
    betraege = {"de": ("500,00\xa0€", "800,00\xa0€"), "en": ("500.00\xa0€", "800.00\xa0€")}
    bewilligt, beantragt = betraege[sprache]
    text = vorschau.inner_text()
    assert erwartet % {"bewilligt": bewilligt, "beantragt": beantragt} in text
    assert "Die Saalmiete übernimmt der Bezirk." in text
    assert "Rücksprache" not in text
    assert Antrag.objects.get(pk=antrag.pk).status == Status.ENTSCHEIDUNGSREIF
    assert not [m for m in mail.outbox if m.to == [antrag.email] and "500" in m.body]
    assert_no_axe_violations(page)
    assert_no_horizontal_scrolling(page)

    page.get_by_role(
        "button", name=t(sprache, "„%(schritt)s“ jetzt ausführen") % {"schritt": bewilligen}
    ).click()
    j.meldung(t(sprache, "Neuer Status: %(status)s") % {"status": t(sprache, "bewilligt")})
    j.ohne_dialog()
    antrag = Antrag.objects.get(pk=antrag.pk)
    assert antrag.status == Status.BEWILLIGT and antrag.bewilligter_betrag == Decimal("500.00")
    assert antrag.verlauf.last().interne_notiz == "Rücksprache mit Bezirk"
    gesendet = [m for m in mail.outbox if m.to == [antrag.email]][-1]
    assert erwartet % {"bewilligt": bewilligt, "beantragt": beantragt} in gesendet.body
    assert "Rücksprache" not in gesendet.body
    # The note is in the staff's history of the Antrag.
    assert page.get_by_text("Rücksprache mit Bezirk").first.is_visible()
