"""Status links stored only as a keyed hash; outbox mails without working links.

An existing link keeps working (its hash is stored); the next mail to that applicant carries a
new, derived link (see antraege/statuslink.py). Links already in the outbox are blacked out.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.db import migrations, models

PLATZHALTER = "[Statuslink]"


def _hash(token):
    key = settings.STATUS_TOKEN_KEY.encode()
    return hmac.new(key, f"lookup:{token}".encode(), hashlib.sha256).hexdigest()


def hashen_und_schwaerzen(apps, schema_editor):
    Antrag = apps.get_model("antraege", "Antrag")
    AusgehendeMail = apps.get_model("antraege", "AusgehendeMail")
    for antrag in Antrag.objects.only("pk", "status_token_hash").iterator():
        token = antrag.status_token_hash  # still the plain token here
        url = re.compile(r"https?://[^\s\"<>]*/antrag/status/" + re.escape(token) + r"/")
        anker = re.compile(r"<a href=\"" + url.pattern + r"\"[^>]*>" + url.pattern + r"</a>")
        for mail in AusgehendeMail.objects.filter(antrag_id=antrag.pk):
            text = url.sub(PLATZHALTER, mail.text)
            html = url.sub(PLATZHALTER, anker.sub(PLATZHALTER, mail.html))
            if (text, html) != (mail.text, mail.html):
                mail.text, mail.html, mail.mit_statuslink = text, html, True
                mail.save(update_fields=["text", "html", "mit_statuslink"])
        Antrag.objects.filter(pk=antrag.pk).update(status_token_hash=_hash(token))


class Migration(migrations.Migration):
    dependencies = [("antraege", "0005_anmeldesperre")]

    operations = [
        migrations.RenameField("antrag", "status_token", "status_token_hash"),
        migrations.AddField(
            model_name="antrag",
            name="status_token_salt",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="ausgehendemail",
            name="mit_statuslink",
            field=models.BooleanField(default=False, editable=False, verbose_name="Mit Statuslink"),
        ),
        migrations.RunPython(hashen_und_schwaerzen, migrations.RunPython.noop),
    ]
