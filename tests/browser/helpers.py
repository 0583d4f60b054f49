"""Shared steps of the browser tests: axe checks, the width check and filling the form."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

from tests.factories import PDF_BYTES

# Every WCAG 2.1 A/AA rule runs; "resultTypes" only spares axe listing every passing node
# (violations are reported in full), about a quarter of each run's time on the admin pages.
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# axe-core from the npm registry (MPL-2.0, LICENSE beside it), not the 4.12.1 bundled in
# axe-playwright-python: 4.12.1 fetched a stylesheet's relative @import from beside the page
# (axe-core issue 5268, fixed in 4.14): on every admin page it asked for
# ".../change/widgets.css", got the admin's start page through three redirects, and checked
# css-orientation-lock against that page instead of the admin's widgets.css.
AXE_CORE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
_axe = Axe.from_file(AXE_CORE)


def assert_no_axe_violations(page):
    """axe-core's WCAG 2.1 A/AA rules find nothing; while checking, axe itself asked the server
    only for the page's own static files (the stylesheets it reads again)."""
    angefragt = []

    def merken(request):
        angefragt.append(request.url)

    page.on("request", merken)
    try:
        results = _axe.run(page, options=WCAG_21_AA)
    finally:
        page.remove_listener("request", merken)
    from django.conf import settings

    fremd = [url for url in angefragt if not urlsplit(url).path.startswith(settings.STATIC_URL)]
    assert not fremd, f"{page.url}: axe asked for more than static files: {fremd}"
    violations = results.response["violations"]
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    ]
    assert not violations, f"{page.url}: " + "\n".join(summary)


def bildschirmfoto(page, path, *, full_page=True):
    """A screenshot for people to look at (it asserts nothing). Chromium now and then refuses
    one capture under load ("Unable to capture screenshot") and takes the same picture a moment
    later: that one error is tried once more, every other error fails the test."""
    from playwright.sync_api import Error

    try:
        page.screenshot(path=str(path), full_page=full_page)
    except Error as error:
        if "Unable to capture screenshot" not in str(error):
            raise
        page.wait_for_timeout(250)
        page.screenshot(path=str(path), full_page=full_page)


def assert_no_horizontal_scrolling(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def write_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "Projektkonzept.pdf"
    path.write_bytes(PDF_BYTES)
    return path


def field(page, label):
    """The form control whose accessible label is exactly `label` (a required * may follow)."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"\s*\*?\s*$"))


def weiter(page, naechster, *, sprache="de"):
    """ "Weiter" at the end of a step of the form, then the next step (`naechster`) is there."""
    page.get_by_role("button", name=t(sprache, "Weiter"), exact=True).click()
    page.locator(f"#schritt-{naechster}").wait_for()


def fill_application(page, pdf_path, *, sprache="de", ab="projekt", bis=None):
    """Fills the form step by step like an applicant with a mouse, from step `ab` on, with
    "Weiter" after each; stops on arriving at step `bis` (not filled), else on the last step
    (files and consent) before "Weiter zur Prüfung". Two cost rows, one attachment.

    The labels are the German texts, looked up in the page's language (`sprache`)."""

    def tt(text):
        return t(sprache, text)

    def geld(betrag):
        return betrag if sprache == "de" else betrag.replace(",", ".")

    def projekt():
        field(page, tt("Aktionsraum")).select_option(label="Hörde")
        page.get_by_label(tt("Aktionsraumfonds (kleine Aktionen, bis 5.000 €)")).check()
        field(page, tt("Titel des Projekts")).fill("Nachbarschaftsfest am Marktplatz")
        field(page, tt("Beschreibung")).fill("Ein Fest für alle Nachbarinnen und Nachbarn.")

    def ziele():
        ziel = tt("Nachbarschaften und sozialen Zusammenhalt im Quartier stärken")
        page.get_by_label(ziel).check()
        field(page, tt("Zielgruppe")).fill("Familien im Quartier")
        field(page, tt("Erwartete Teilnehmende")).fill("120")

    def termin():
        field(page, tt("Beginn")).fill("2027-05-01")
        field(page, tt("Ende")).fill("2027-05-02")
        field(page, tt("Ort der Durchführung")).fill("Marktplatz")

    def kosten():
        page.locator("#id_kosten-0-beschreibung").fill("Material")
        page.locator("#id_kosten-0-betrag").fill(geld("300,00"))
        page.locator("#id_kosten-1-beschreibung").fill("Miete Saal")
        page.locator("#id_kosten-1-betrag").fill(geld("200,00"))
        field(page, tt("Eigenmittel")).fill(geld("50,00"))
        field(page, tt("Eigenleistung (in Euro bewertet)")).fill(geld("100,00"))
        field(page, tt("Andere Förderung")).fill("0")

    def antragsteller():
        page.get_by_label(tt("Verein"), exact=True).check()
        field(page, tt("Name der Organisation")).fill("Beispielverein e. V.")
        field(page, tt("Ansprechperson")).fill("Erika Beispiel")
        field(page, tt("Straße und Hausnummer")).fill("Beispielstraße 1")
        field(page, tt("Postleitzahl")).fill("44263")
        field(page, tt("E-Mail")).fill("erika@example.org")
        field(page, tt("Kontoinhaber/in")).fill("Beispielverein e. V.")
        field(page, "IBAN").fill("DE89 3704 0044 0532 0130 00")

    def anlagen():
        field(page, tt("Anlagen (freiwillig)")).set_input_files(str(pdf_path))
        page.get_by_label(tt(ZUSTIMMUNG)).check()

    schritte = [projekt, ziele, termin, kosten, antragsteller, anlagen]
    namen = [schritt.__name__ for schritt in schritte]
    page.locator(f"#schritt-{ab}").wait_for()
    for nummer in range(namen.index(ab), len(schritte)):
        if namen[nummer] == bis:
            return
        schritte[nummer]()
        if nummer + 1 < len(schritte):
            weiter(page, namen[nummer + 1], sprache=sprache)


ZUSTIMMUNG = (
    "Ich habe den Datenschutzhinweis gelesen und bin mit der Verarbeitung meiner "
    "Angaben zur Bearbeitung des Antrags einverstanden."
)


def t(sprache, text):
    """A German UI text as the page shows it in `sprache` (the catalogue's translation)."""
    from django.utils import translation

    with translation.override(sprache):
        return str(translation.gettext(text))


def send_application(page, *, sprache="de"):
    """ "Weiter zur Prüfung", then "Antrag absenden" on the check page, as a person clicks."""
    from django.utils import translation

    with translation.override(sprache):
        weiter = str(translation.gettext("Weiter zur Prüfung"))
        pruefen = str(translation.gettext("Bitte prüfen Sie Ihre Angaben"))
        senden = str(translation.gettext("Antrag absenden"))
    page.get_by_role("button", name=weiter).click()
    page.get_by_role("heading", name=pruefen).wait_for()
    page.get_by_role("button", name=senden).click()


FOCUS_IS_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== 'none';
}"""


def assert_focus_visible(page):
    """The focused element shows an outline or a focus shadow (after its CSS transition)."""
    try:
        page.wait_for_function(FOCUS_IS_VISIBLE, timeout=2000)
    except Exception:
        raise AssertionError(
            "focus not visible on " + page.evaluate("document.activeElement.outerHTML")
        ) from None


def tab_to(page, element_id, *, limit=120):
    """Presses Tab until the element has focus; every stop on the way must show its focus."""
    if page.evaluate("document.activeElement.id") == element_id:
        return  # already there (autofocus)
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} is not reachable with Tab")


AKTIV_NAME = """() => {
  const el = document.activeElement;
  const text = el.tagName === 'INPUT' ? el.value : el.textContent;
  return (el.getAttribute('aria-label') || text || '').trim();
}"""


def tab_to_name(page, name, *, limit=200):
    """Presses Tab until a link or button named `name` has focus (focus visible at each stop)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if page.evaluate(AKTIV_NAME) == name:
            return
    raise AssertionError(f"„{name}“ is not reachable with Tab")
