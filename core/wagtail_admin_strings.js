// Wagtail 8 admin JavaScript strings that Wagtail's own zh_Hans djangojs catalogue leaves in English
// (autosave, content metrics, the block editor, the menu's "new" badges). Listed here so that
// `makemessages -d djangojs` keeps them in the project's catalogue (locale/zh_Hans/LC_MESSAGES/
// djangojs.po), which core.admin_views.admin_js_catalog serves at /admin/jsi18n/ after Wagtail's.
// The msgids are Wagtail's, exactly. Never loaded by a page (it is not under static/).
// `manage.py check_translations` fails when Wagtail leaves a string untranslated that is missing here.
/* eslint-disable no-undef */
[
  gettext_noop("(%(number)s new items in this menu)"),
  gettext_noop("(1 new item in this menu)"),
  gettext_noop("(New)"),
  ngettext("%(num)s error", "%(num)s errors", 0),
  ngettext("%(num)s min", "%(num)s mins", 0),
  ngettext("%(num)s pixel", "%(num)s pixels", 0),
  gettext_noop("%(time_zone_option)s: %(localized_time_zone_label)s"),
  gettext_noop("A network error occurred."),
  gettext_noop("A server error occurred."),
  gettext_noop("Autosave in progress…"),
  gettext_noop("Blocks"),
  gettext_noop("Changes have been autosaved."),
  gettext_noop("Complex"),
  gettext_noop("Error while sending preview data."),
  gettext_noop("Fair"),
  gettext_noop("Good"),
  gettext_noop("Insert a block"),
  gettext_noop("Split block"),
  gettext_noop("Write something or type ‘/’ to insert a block"),
];
