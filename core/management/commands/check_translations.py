"""``manage.py check_translations``: fails when a user-facing string has no zh-hans translation.

Runs ``makemessages`` in a copy of the source tree (makemessages writes to the catalogue beside the
code it reads, so the working tree would change otherwise), then asks
gettext's ``msgattrib`` for entries that are untranslated or fuzzy (a fuzzy entry is not used at
run time), and checks that the committed ``.mo`` was compiled from the committed ``.po``. ``make
lint`` and CI run it.
"""

import gettext
import os
import re
import shutil
import subprocess
import tempfile
from contextlib import chdir
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

LOCALE = "zh_Hans"
SKIP = [".git", ".venv", "venv", "tests", "bench", "node_modules", "var", "media", "static", "__pycache__",
        "*.mo", "*.sqlite3*", "*.png", "*.jpg", "*.ttf", "*.ttc"]


def _catalog(mo_path):
    """The messages in a compiled catalogue (compared by content: msgfmt versions lay out bytes differently)."""
    with open(mo_path, "rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


# makemessages extracts _(), gettext(), gettext_lazy() and friends by name: a string marked through
# any other alias (``gettext_lazy as _l``) is silently left out of the catalogue.
ALIAS = re.compile(r"^\s*from django\.utils\.translation import .*\b(\w*gettext\w*) as (?!_\b)(\w+)", re.M)


def _aliases(source):
    for path in sorted(source.rglob("*.py")):
        for match in ALIAS.finditer(path.read_text(encoding="utf-8")):
            yield f"{path.relative_to(source)}: '{match.group(1)} as {match.group(2)}' hides strings from makemessages"


class Command(BaseCommand):
    help = "Fail when a gettext string has no zh-hans translation or the .mo is out of date."

    def handle(self, *args, **options):
        tools = {name: shutil.which(name) for name in ("msgattrib", "msgfmt", "xgettext")}
        if not all(tools.values()):
            raise CommandError("GNU gettext is needed (apt-get install gettext).")
        committed = Path(settings.LOCALE_PATHS[0]) / LOCALE / "LC_MESSAGES"
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "src"
            shutil.copytree(settings.BASE_DIR, source, ignore=shutil.ignore_patterns(*SKIP))
            locale = source / os.path.relpath(settings.LOCALE_PATHS[0], settings.BASE_DIR)
            copy = locale / LOCALE / "LC_MESSAGES"
            with chdir(source), override_settings(LOCALE_PATHS=[locale]):
                call_command("makemessages", locale=[LOCALE], no_obsolete=True, verbosity=0)
            problems = list(_aliases(source))
            for flag, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
                command = [tools["msgattrib"], flag, "--no-obsolete", "--no-wrap", str(copy / "django.po")]
                listing = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
                problems += [f"{what}: {line[6:]}" for line in listing.splitlines()
                             if line.startswith('msgid "') and line != 'msgid ""']
            compiled = Path(tmp) / "django.mo"
            subprocess.run([tools["msgfmt"], "-o", str(compiled), str(committed / "django.po")], check=True)  # noqa: S603
            if _catalog(compiled) != _catalog(committed / "django.mo"):
                problems.append(f"{committed / 'django.mo'} is older than its .po: run "
                                f"msgfmt -o {committed / 'django.mo'} {committed / 'django.po'}")
        if problems:
            raise CommandError("zh-hans catalogue incomplete:\n  " + "\n  ".join(problems))
        self.stdout.write("zh-hans: every string translated, .mo up to date.")
