"""Every page names the site's icon (the portal, the workbench, the admin and the hall's board), and the
icon is a real file the static files serve."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

ICON = '<link rel="icon" href="/static/core/favicon.svg" type="image/svg+xml">'


def test_the_icon_is_an_svg_file() -> None:
    path = finders.find("core/favicon.svg")
    assert path, "core/favicon.svg is not among the static files"
    root = ET.parse(path).getroot()  # noqa: S314 (our own static file)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 64 64"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/login/", "/admin/login/", "/catalogue/"])
def test_pages_name_the_icon(url: str) -> None:
    page = Client().get(url)
    assert page.status_code == 200
    assert ICON in page.content.decode()
