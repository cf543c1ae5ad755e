"""Every column and filter of the admin reads in the reader's language: no raw field name (``community``,
``office``) shows up as a header in the Chinese interface (Django's admin shows a field's verbose name,
which is its attribute name when none is given)."""

from __future__ import annotations

import re

from django.contrib.admin.utils import label_for_field
from django.utils import translation

from yiwang.web.admin_site import admin_site

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_admin_column_and_filter_has_a_chinese_label() -> None:
    raw = []
    with translation.override("zh-hans"):
        for model, model_admin in admin_site._registry.items():
            if not model.__module__.startswith("yiwang."):
                continue
            names = [n for n in model_admin.get_list_display(None) if isinstance(n, str)]  # type: ignore[arg-type]
            names += [f for f in model_admin.list_filter if isinstance(f, str) and "__" not in f]
            for name in names:
                if name in {"__str__", "id"}:  # "ID" reads the same in both languages
                    continue
                label = str(label_for_field(name, model, model_admin))
                if not CHINESE.search(label):
                    raw.append(f"{model._meta.label}.{name}: {label!r}")
    assert not raw, "admin headers without a Chinese label:\n" + "\n".join(sorted(raw))
