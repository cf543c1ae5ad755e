from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def progress(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/progress.html", {})
