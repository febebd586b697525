"""Finding a font with Chinese glyphs for PDFs (certificates of programs and volunteers).

On Debian install ``fonts-wqy-microhei`` (or ``fonts-noto-cjk``); :func:`find_cjk_font` looks in
the usual places at run time, and the setting ``FENGCHAO_CJK_FONT`` may name a .ttf/.ttc/.otf file.
"""

from functools import lru_cache
from pathlib import Path

from django.conf import settings

#: (file name, face index inside a .ttc collection). Noto's collections put Simplified Chinese third.
CJK_FONT_CANDIDATES = [
    ("wqy-microhei.ttc", 0),
    ("NotoSansCJK-Regular.ttc", 2),
    ("NotoSerifCJK-Regular.ttc", 2),
    ("NotoSansCJKsc-Regular.otf", 0),
    ("wqy-zenhei.ttc", 0),
    ("DroidSansFallbackFull.ttf", 0),
]
FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts")]


def find_cjk_font():
    """(path, face index) of an installed font with Chinese glyphs, or None."""
    explicit = getattr(settings, "FENGCHAO_CJK_FONT", "")
    if explicit and Path(explicit).is_file():
        return explicit, 0
    return _search_font_dirs()


@lru_cache(maxsize=1)
def _search_font_dirs():
    # Walking /usr/share/fonts costs tens of milliseconds; fonts are not installed while we run.
    for name, index in CJK_FONT_CANDIDATES:
        for directory in FONT_DIRS:
            base = Path(directory)
            if not base.is_dir():
                continue
            for path in base.rglob(name):
                return str(path), index
    return None
