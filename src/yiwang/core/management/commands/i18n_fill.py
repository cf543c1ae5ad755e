from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import polib
from django.core.management.base import BaseCommand, CommandError, CommandParser

SRC = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    help = "Fill empty zh_Hans translations of some contexts from a Python file defining a dict T."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--app", action="append", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        spec = importlib.util.spec_from_file_location("translations", options["file"])
        if spec is None or spec.loader is None:
            raise CommandError("cannot read the translation file")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        table: dict[str, str] = module.T
        missing = []
        for app in options["app"]:
            path = SRC / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
            po = polib.pofile(str(path))
            for entry in po:
                if entry.msgid in table:
                    entry.msgstr = table[entry.msgid]
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                elif not entry.msgstr or "fuzzy" in entry.flags:
                    missing.append(f"{app}: {entry.msgid}")
            po.save()
            po.save_as_mofile(str(path.with_suffix(".mo")))
        for m in missing:
            self.stdout.write(f"untranslated {m}")
