"""Real-name verification (实名核验) of a resident who registers themself, as a pluggable adapter.

A verifier answers one question: do this name and this resident ID number belong together? The platform
calls the one named by ``settings.REAL_NAME_VERIFIER`` (a dotted path to a class whose instances have
``verify(name, id_number)``), and records what it answered on the person (docs/adr/0056):

- ``verified``: the identity source confirms the pair; the person gets ``LEVEL_VERIFIED``.
- ``failed``: the source says the pair does not match (or the number does not exist); registration is
  refused, naming the fields to check.
- ``unavailable``: the source could not be asked (not configured, timeout, maintenance); the account is
  created unverified and says so on its pages.

Adapters shipped here:

- ``NotConfiguredVerifier`` (the base settings' default): always ``unavailable``, so that a deployment
  that has not connected an identity source never pretends to have verified anyone.
- ``DemoVerifier`` (the demo and the tests): ``verified`` for a valid GB 11643 number and a non-empty name,
  ``failed`` for a number or name listed in ``settings.REAL_NAME_DEMO_REFUSED``.
- ``ProvincialIdentityVerifier``: the interface a connection to the provincial identity platform (e.g.
  the province's unified identity authentication service) implements; it is documented, not faked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from yiwang.core.validators import normal_form, validate_resident_id

Outcome = Literal["verified", "failed", "unavailable"]

# The person's verification level (``Person.verification_level``).
LEVEL_NONE = 0  # nothing checked (registered at a window by staff, or imported)
LEVEL_MOBILE = 1  # the resident confirmed their mobile with a one-time code; the name is not verified
LEVEL_VERIFIED = 2  # the identity source confirmed name and resident ID number


@dataclass(frozen=True)
class VerificationResult:
    outcome: Outcome
    reason: str = ""  # for the record and the audit trail: never the ID number
    source: str = ""  # which verifier answered

    @property
    def verified(self) -> bool:
        return self.outcome == "verified"


class RealNameVerifier(Protocol):
    """Checks that a name and a resident ID number belong together. Must not raise for an answer of the
    source: a source that cannot be reached is ``unavailable``."""

    def verify(self, name: str, id_number: str) -> VerificationResult: ...


class NotConfiguredVerifier:
    """No identity source is connected: every registration stays unverified."""

    def verify(self, name: str, id_number: str) -> VerificationResult:
        return VerificationResult("unavailable", "no identity source is configured", "not_configured")


class DemoVerifier:
    """The demo's stand-in: accepts a checksum-valid number with a non-empty name, refuses the numbers and
    names listed in ``settings.REAL_NAME_DEMO_REFUSED``."""

    source = "demo"

    def verify(self, name: str, id_number: str) -> VerificationResult:
        refused = {normal_form(str(v)) for v in getattr(settings, "REAL_NAME_DEMO_REFUSED", ())}
        if not (name or "").strip():
            return VerificationResult("failed", "no name", self.source)
        try:
            validate_resident_id(id_number)
        except ValidationError:
            return VerificationResult("failed", "not a valid resident ID number", self.source)
        if normal_form(id_number) in refused or normal_form(name) in refused:
            return VerificationResult("failed", "name and number do not match", self.source)
        return VerificationResult("verified", "checksum and name accepted", self.source)


class ProvincialIdentityVerifier:
    """The provincial identity platform's interface (not connected in this code base).

    A deployment that connects it subclasses this (or writes any class with the same ``verify``) and names
    it in ``REAL_NAME_VERIFIER``. What the implementation must do:

    - send the name and the resident ID number over the platform's authenticated channel (mutual TLS or a
      signed request with the credentials the province issues), with a timeout of a few seconds;
    - answer ``verified`` only when the platform says the pair matches, ``failed`` when it says they do not
      (or the number does not exist), ``unavailable`` for every transport error, timeout or unexpected
      answer — never raise;
    - put the platform's request or reference number in ``reason`` (never the ID number), so the audit
      trail can be matched with the platform's own log.
    """

    source = "provincial"

    def verify(self, name: str, id_number: str) -> VerificationResult:
        return VerificationResult(
            "unavailable", "the provincial identity platform is not connected", self.source
        )


def verifier() -> RealNameVerifier:
    path = getattr(settings, "REAL_NAME_VERIFIER", "yiwang.accounts.realname.NotConfiguredVerifier")
    instance: RealNameVerifier = import_string(path)()
    return instance
