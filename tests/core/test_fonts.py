"""Where certificates find their Chinese font: `make install` may put one in the project's var/fonts."""

import shutil

from core import fonts


def test_a_font_unpacked_into_the_project_folder_is_found(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "FONT_DIRS", [])  # as on a server without a system CJK font
    settings.FENGCHAO_FONT_DIRS = [tmp_path / "var" / "fonts"]
    settings.FENGCHAO_CJK_FONT = ""
    assert fonts.find_cjk_font() is None
    unpacked = tmp_path / "var" / "fonts" / "usr" / "share" / "fonts" / "truetype" / "wqy"
    unpacked.mkdir(parents=True)
    fonts._search_font_dirs.cache_clear()  # looked up once per process; this "process" just installed one
    shutil.copy(__file__, unpacked / "wqy-microhei.ttc")  # the name is what is looked for
    assert fonts.find_cjk_font() == (str(unpacked / "wqy-microhei.ttc"), 0)
