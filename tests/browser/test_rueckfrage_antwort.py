"""The short answer to a Rückfrage as the applicant clicks it (issue 37, point 3): from the
status page to the question, a file chosen, "Antwort senden" without an answer (the error
says only its message, the file stays chosen), then the answer sent with the file. On a phone
in German, on a desktop without JavaScript in English; axe finds nothing, nothing scrolls
sideways. (axe and the
scroll check run scripts: they check the German run.)"""

import pytest

from antraege.models import Anlage, Antrag, Status
from tests.factories import PDF_BYTES, token

from .helpers import assert_no_axe_violations, assert_no_horizontal_scrolling
from .journey import Journey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aktionsraeume_geladen"),
]

TEXTE = {
    "de": {
        "beantworten": "Rückfrage beantworten",
        "datei": "Dateien zur Antwort (freiwillig)",
        "senden": "Antwort senden",
        "fehlt": "Bitte beantworten Sie die Rückfrage.",
        "antwort": "Ihre Antwort auf die Rückfrage",
        "danke": "Danke! Ihre Antwort ist bei uns eingegangen.",
        "stufe": "Wird geprüft",
    },
    "en": {
        "beantworten": "Answer our question",
        "datei": "Files for your answer (optional)",
        "senden": "Send answer",
        "fehlt": "Please answer our question.",
        "antwort": "Your answer to our question",
        "danke": "Thank you! Your answer has reached us.",
        "stufe": "Being reviewed",
    },
}


@pytest.mark.parametrize(
    "sprache,breite,javascript", [("de", 375, True), ("en", 1280, False)], ids=["375-de", "1280-en"]
)
def test_the_applicant_answers_with_a_file_after_one_mistake(
    new_page, output_dir, tmp_path, rueckfrage, sprache, breite, javascript
):
    t = TEXTE[sprache]
    page = new_page(
        locale="en-GB" if sprache == "en" else "de-DE", width=breite, javascript=javascript
    )
    j = Journey(page, f"rueckfrage-antwort-{breite}-{sprache}", output_dir)
    prefix = "/en" if sprache == "en" else ""
    page.goto(f"{prefix}/antrag/status/{token(rueckfrage)}/")
    page.get_by_role("link", name=t["beantworten"], exact=True).click()
    page.get_by_text("Wofür ist die Saalmiete?").wait_for()
    j.foto("frage")
    if javascript:
        assert_no_axe_violations(page)

    datei = tmp_path / "angebot.pdf"
    datei.write_bytes(PDF_BYTES)
    page.get_by_label(t["datei"]).set_input_files(str(datei))
    page.get_by_role("button", name=t["senden"]).click()
    fehler = page.locator("#fehler")
    fehler.wait_for()
    # The message alone, linked to the answer box; the chosen file is still there.
    assert fehler.locator("li").all_inner_texts() == [t["fehlt"]]
    assert page.locator(".vorlaeufige-anlagen").inner_text().startswith("angebot.pdf")
    if javascript:
        assert_no_axe_violations(page)
        assert_no_horizontal_scrolling(page)
    j.foto("fehler-datei-bleibt")
    assert Antrag.objects.get(pk=rueckfrage.pk).status == Status.RUECKFRAGE

    fehler.get_by_role("link").click()
    page.get_by_label(t["antwort"]).fill("Die Saalmiete ist für den Gemeindesaal.")
    page.get_by_role("button", name=t["senden"]).click()
    page.get_by_text(t["danke"]).wait_for()
    assert page.locator(".antrag-status").inner_text() == t["stufe"]
    j.foto("gesendet")
    assert [a.dateiname for a in Anlage.objects.filter(antrag=rueckfrage)] == ["angebot.pdf"]
    schritt = Antrag.objects.get(pk=rueckfrage.pk).verlauf.last()
    assert schritt.kommentar == "Die Saalmiete ist für den Gemeindesaal."
