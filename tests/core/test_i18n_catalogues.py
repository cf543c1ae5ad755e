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
