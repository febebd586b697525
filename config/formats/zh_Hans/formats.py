"""Date formats of the Chinese pages (FORMAT_MODULE_PATH): Django's zh_Hans ones, but months and
days without a leading zero ("6月3日", as the site writes them), and the named formats the
templates use through core.formats (``{{ value|local_date:"DAY_FORMAT" }}``).

Templates never spell a format with 年/月/日 themselves: the English pages read "Monday 3 June".
"""

MONTH_DAY_FORMAT = "n月j日"  # 6月3日
DAY_FORMAT = "n月j日 l"  # 6月3日 星期一
DAY_TIME_FORMAT = "n月j日 l H:i"  # 6月3日 星期一 11:30
MONTH_DAY_TIME_FORMAT = "n月j日 H:i"  # 6月3日 09:30
FULL_DAY_FORMAT = "Y年n月j日 l"  # 2030年6月3日 星期一
FULL_DAY_TIME_FORMAT = "Y年n月j日 l H:i"  # 2030年6月3日 星期一 14:30
