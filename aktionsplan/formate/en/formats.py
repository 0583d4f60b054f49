"""English pages write every date one way, "1 May 2027" (Django's English mixes "05/01/2027"
and "May 1, 2027"); a typed date is read as on the German pages (01.03.2027, as the hints say)
or in Django's English forms."""

from django.conf.locale.en import formats as _django

DATE_INPUT_FORMATS = ["%d.%m.%Y", *_django.DATE_INPUT_FORMATS]

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
