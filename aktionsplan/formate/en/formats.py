"""English pages write every date one way, "1 May 2027" (Django's English mixes "05/01/2027"
and "May 1, 2027"); typed dates are read as before (`DATE_INPUT_FORMATS` stays Django's)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
