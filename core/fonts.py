"""Finding a font with Chinese glyphs for PDFs (certificates of programs and volunteers).

On Debian install ``fonts-wqy-microhei`` (or ``fonts-noto-cjk``); :func:`find_cjk_font` looks in
the usual places at run time, and the setting ``FENGCHAO_CJK_FONT`` may name a .ttf/.ttc/.otf file.
``make install`` puts Debian's package under ``var/fonts`` when it cannot install it as root, so
the project's own folder is searched too (``FENGCHAO_FONT_DIRS``).
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
FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"),
             str(Path.home() / ".local/share/fonts")]


def font_dirs():
    """Where fonts are looked for: the project's ``var/fonts`` first, then the system's."""
    return [*getattr(settings, "FENGCHAO_FONT_DIRS", ()), *FONT_DIRS]


def find_cjk_font():
    """(path, face index) of an installed font with Chinese glyphs, or None."""
    explicit = getattr(settings, "FENGCHAO_CJK_FONT", "")
    if explicit and Path(explicit).is_file():
        return explicit, 0
    return _search_font_dirs(tuple(font_dirs()))


@lru_cache(maxsize=4)
def _search_font_dirs(directories):
    # Walking /usr/share/fonts costs tens of milliseconds; fonts are not installed while we run.
    for name, index in CJK_FONT_CANDIDATES:
        for directory in directories:
            base = Path(directory)
            if not base.is_dir():
                continue
            for path in base.rglob(name):
                return str(path), index
    return None
