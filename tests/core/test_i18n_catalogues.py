"""Chinese is the default language and English is complete: every catalogue is fully translated,
and every compiled .mo file matches its .po source."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "yiwang"
ZH_CATALOGUES = sorted(SRC.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def test_there_are_catalogues() -> None:
    assert {p.parts[-5] for p in ZH_CATALOGUES} >= {"core", "accounts", "audit", "portal", "workbench"}


@pytest.mark.parametrize("po_path", ZH_CATALOGUES, ids=[p.parts[-5] for p in ZH_CATALOGUES])
def test_chinese_catalogue_complete(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


@pytest.mark.parametrize("po_path", ZH_CATALOGUES, ids=[p.parts[-5] for p in ZH_CATALOGUES])
def test_compiled_catalogue_matches_source(po_path: Path) -> None:
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.name} missing: run `yiwang i18n --compile-only`"

    def table(entries: polib._BaseFile) -> dict[str, object]:
        return {
            e.msgid: (tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr)
            for e in entries
            if e.msgid and not e.obsolete and (e.msgstr or e.msgstr_plural) and "fuzzy" not in e.flags
        }

    assert table(polib.mofile(str(mo_path))) == table(polib.pofile(str(po_path)))


def test_pages_render_in_both_languages(client, db) -> None:  # type: ignore[no-untyped-def]  # the header names the district
    zh = client.get("/login/").content.decode()
    assert 'lang="zh-Hans"' in zh and "登录" in zh and "用户名" in zh
    en = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in en and "Sign in" in en and "Username" in en
    assert "用户名" not in en


# Where we deliberately word one of Django's own messages our way (the same meaning, our house style).
OUR_WORDING_OF_DJANGOS = {
    "This field is required.", "Enter a whole number.", "Enter a number.", ", ", "object id", "active", "name",
    "History", "Search", "Filter", "Summary", "Administration", "Text",
}  # fmt: skip


def _loaded_together() -> list[tuple[str, Path]]:
    """Every zh_Hans catalogue Django merges into one: each installed app's, and Django's own."""
    import django
    from django.apps import apps

    found = [
        (app.label, Path(app.path) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
        for app in apps.get_app_configs()
    ]
    found.append(
        ("django", Path(django.__file__).parent / "conf" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    )
    return [(label, path) for label, path in found if path.exists()]


def test_no_message_means_two_things() -> None:
    """Django merges every app's catalogue into one, so a message id without a context has one Chinese
    translation for the whole site: the first installed app's wins. Two catalogues translating the same id
    differently means one of them shows the other's word (a withdrawn case read 已停用, the admin's "Close"
    read 办结): such ids need a context (``pgettext``), or one translation."""
    translations: dict[tuple[str, str], dict[str, str]] = {}
    for label, path in _loaded_together():
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr:
                continue
            translations.setdefault((entry.msgctxt or "", entry.msgid), {})[label] = entry.msgstr
    ours = {path.parts[-5] for path in ZH_CATALOGUES}
    clashes = []
    for (context, msgid), by_app in sorted(translations.items()):
        mine = {app: text for app, text in by_app.items() if app in ours}
        if len(set(mine.values())) > 1:
            clashes.append(f"{context}|{msgid}: {mine}")
        elif mine and msgid not in OUR_WORDING_OF_DJANGOS and len(set(by_app.values())) > 1:
            clashes.append(f"{context}|{msgid} (with Django's): {by_app}")
    assert not clashes, "\n".join(clashes)


def test_the_words_that_were_mixed_up() -> None:
    from django.utils import translation

    from yiwang.applications.workflow import STATUS_LABELS

    with translation.override("zh-hans"):
        assert translation.gettext("Close") == "关闭"  # Django admin's button, not 办结
        assert translation.gettext("Change") == "修改"
        assert translation.pgettext("case action", "Close") == "办结"
        assert str(STATUS_LABELS["withdrawn"]) == "已撤回"
