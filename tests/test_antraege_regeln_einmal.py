"""Each applicant rule runs once per post: on the post that sends, the service checks the dates
and the money (the form only derives the amount); on the check page and on a form with other
errors, the form runs the same rules, so that every error shows at once."""

import pytest

from antraege.models import Antrag
from antraege.services import einreichung

from .factories import antrag_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def aufrufe(monkeypatch):
    """Counts the calls of the date and money rules, whoever makes them."""
    gezaehlt = {"termine_pruefen": 0, "betraege_pruefen": 0}
    for name in gezaehlt:
        original = getattr(einreichung, name)

        def zaehlen(*args, _name=name, _original=original, **kwargs):
            gezaehlt[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(einreichung, name, zaehlen)
    return gezaehlt


def test_a_sent_application_runs_each_rule_once(client, aufrufe):
    response = client.post("/antrag/", antrag_post_data())
    assert response.status_code == 302
    assert Antrag.objects.count() == 1
    assert aufrufe == {"termine_pruefen": 1, "betraege_pruefen": 1}


def test_the_check_page_runs_each_rule_once(client, aufrufe):
    response = client.post("/antrag/", antrag_post_data(absenden=None))
    assert response.status_code == 200 and Antrag.objects.count() == 0
    assert aufrufe == {"termine_pruefen": 1, "betraege_pruefen": 1}


def test_a_refused_date_is_shown_at_its_field_with_the_other_errors(client, aufrufe):
    daten = antrag_post_data(beginn="2027-05-03", ende="2027-05-01", titel="")
    html = client.post("/antrag/", daten).content.decode()
    assert "Das Ende darf nicht vor dem Beginn liegen" in html
    assert Antrag.objects.count() == 0
    assert aufrufe["termine_pruefen"] == 1


def test_a_date_refused_by_the_service_on_sending_lands_at_its_field(client, aufrufe):
    daten = antrag_post_data(beginn="2027-05-03", ende="2027-05-01")
    html = client.post("/antrag/", daten).content.decode()
    assert "Das Ende darf nicht vor dem Beginn liegen" in html
    assert 'id="id_ende"' in html and "is-invalid" in html
    assert Antrag.objects.count() == 0
    assert aufrufe["termine_pruefen"] == 1 and aufrufe["betraege_pruefen"] <= 1
