"""Date formats of the English pages (FORMAT_MODULE_PATH): British order, as a reader of the
English pages in China more often expects, and the named formats of core.formats."""

DATE_FORMAT = "j F Y"  # 3 June 2030
SHORT_DATE_FORMAT = "j M Y"  # 3 Jun 2030 (Django's English one is 06/03/2030)
MONTH_DAY_FORMAT = "j F"  # 3 June
YEAR_MONTH_FORMAT = "F Y"  # June 2030
DATETIME_FORMAT = "j F Y, H:i"  # 3 June 2030, 14:30
TIME_FORMAT = "H:i"
DAY_FORMAT = "l j F"  # Monday 3 June
DAY_TIME_FORMAT = "l j F, H:i"  # Monday 3 June, 11:30
MONTH_DAY_TIME_FORMAT = "j F, H:i"  # 3 June, 09:30
FULL_DAY_FORMAT = "l j F Y"  # Monday 3 June 2030
FULL_DAY_TIME_FORMAT = "l j F Y, H:i"  # Monday 3 June 2030, 14:30
