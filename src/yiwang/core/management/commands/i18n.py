from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import polib
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

SRC = Path(__file__).resolve().parents[3]  # src/yiwang


def locale_dirs() -> list[Path]:
    return sorted(p for p in SRC.glob("*/locale") if p.is_dir())


def compile_catalogues() -> int:
    n = 0
    for po_path in SRC.glob("*/locale/*/LC_MESSAGES/*.po"):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        n += 1
    return n


class Command(BaseCommand):
    help = "Extract translatable strings per context (needs GNU gettext) and compile all catalogues."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--compile-only", action="store_true")
        parser.add_argument("--app", action="append", default=[], help="only this context (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["compile_only"]:
            if shutil.which("xgettext") is None:
                raise CommandError("GNU gettext is needed to extract messages: apt-get install gettext")
            import os

            only = set(options["app"])
            for app_dir in sorted(p for p in SRC.iterdir() if (p / "apps.py").exists()):
                if only and app_dir.name not in only:
                    continue
                (app_dir / "locale").mkdir(exist_ok=True)
                cwd = os.getcwd()
                try:
                    os.chdir(app_dir)
                    call_command(
                        "makemessages",
                        locale=["zh_Hans", "en"],
                        no_obsolete=True,
                        add_location="file",
                        verbosity=0,
                    )
                finally:
                    os.chdir(cwd)
        self.stdout.write(f"compiled {compile_catalogues()} catalogues")
