"""``manage.py check_translations``: fails when a user-facing string has no zh-hans translation.

Runs ``makemessages`` for both domains in a copy of the source tree (makemessages writes to the
catalogue beside the code it reads, so the working tree would change otherwise): ``django``
(Python and templates) and ``djangojs`` (the project's JavaScript, vendored libraries left out, and
the Wagtail admin strings listed in core/wagtail_admin_strings.js). Then it asks gettext's
``msgattrib`` for entries that are untranslated or fuzzy (a fuzzy entry is not used at run time),
checks that the committed ``djangojs.po`` holds what was generated and nothing kept by hand, that
each committed ``.mo`` was compiled from its ``.po``, and that every Wagtail admin JavaScript string
Wagtail's own zh_Hans leaves in English is listed. ``make lint`` and CI run it.
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
SKIP = [".git", ".venv", "venv", "tests", "bench", "node_modules", "var", "media", "static_collected", "vendor",
        "__pycache__", "*.egg-info", "*.mo", "*.sqlite3*", "*.png", "*.jpg", "*.svg", "*.ttf", "*.ttc"]
#: Third-party JavaScript shipped inside a plugin (Leaflet in stations/static/stations/vendor/) is not ours.
JS_IGNORE = ["vendor", "node_modules"]
DOMAINS = ("django", "djangojs")


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


def _msgids(po_path, msgattrib, *flags):
    """The msgids of ``po_path``'s entries that ``flags`` select (all of them without flags)."""
    command = [msgattrib, *flags, "--no-obsolete", "--no-wrap", str(po_path)]
    listing = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return [line[7:-1] for line in listing.splitlines() if line.startswith('msgid "') and line != 'msgid ""']


def wagtail_js_left_in_english(tools, locale=LOCALE):
    """Wagtail's admin JavaScript msgids (its English catalogue lists every one) that its own
    ``locale`` catalogue does not translate."""
    import wagtail.admin

    base = Path(wagtail.admin.__file__).parent / "locale"
    every, own = base / "en" / "LC_MESSAGES" / "djangojs.po", base / locale / "LC_MESSAGES" / "djangojs.po"
    with tempfile.TemporaryDirectory() as tmp:
        merged = Path(tmp) / "merged.po"
        subprocess.run([tools["msgmerge"], "--quiet", "--no-fuzzy-matching", "-o", str(merged), str(own), str(every)],  # noqa: S603
                       check=True)
        return set(_msgids(merged, tools["msgattrib"], "--untranslated"))


class Command(BaseCommand):
    help = "Fail when a gettext string has no zh-hans translation or the .mo is out of date."

    def handle(self, *args, **options):
        tools = {name: shutil.which(name) for name in ("msgattrib", "msgfmt", "msgmerge", "xgettext")}
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
                call_command("makemessages", locale=[LOCALE], domain="djangojs", no_obsolete=True,
                             ignore_patterns=JS_IGNORE, verbosity=0)
            problems = list(_aliases(source))
            for domain in DOMAINS:
                generated, kept = copy / f"{domain}.po", committed / f"{domain}.po"
                if not kept.exists():
                    if generated.exists():
                        problems.append(f"{kept} is missing: run make messages")
                    continue
                if generated.exists():
                    for flag, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
                        problems += [f"{domain} {what}: {msgid}" for msgid in _msgids(generated, tools["msgattrib"], flag)]
                if domain == "djangojs":
                    extra = set(_msgids(kept, tools["msgattrib"])) - set(
                        _msgids(generated, tools["msgattrib"]) if generated.exists() else [])
                    problems += [f"djangojs: {msgid} is in {kept} but in no JavaScript: run make messages"
                                 for msgid in sorted(extra)]
                compiled = Path(tmp) / f"{domain}.mo"
                subprocess.run([tools["msgfmt"], "-o", str(compiled), str(kept)], check=True)  # noqa: S603
                if not (committed / f"{domain}.mo").exists() or _catalog(compiled) != _catalog(committed / f"{domain}.mo"):
                    problems.append(f"{committed / f'{domain}.mo'} is older than its .po: run "
                                    f"msgfmt -o {committed / f'{domain}.mo'} {kept}")
            listed = set(_msgids(copy / "djangojs.po", tools["msgattrib"])) if (copy / "djangojs.po").exists() else set()
            problems += [f"Wagtail's zh_Hans leaves the admin JavaScript string {msgid!r} in English: "
                         "list it in core/wagtail_admin_strings.js and translate it"
                         for msgid in sorted(wagtail_js_left_in_english(tools) - listed)]
        if problems:
            raise CommandError("zh-hans catalogue incomplete:\n  " + "\n  ".join(problems))
        self.stdout.write("zh-hans: every string translated, .mo up to date.")
