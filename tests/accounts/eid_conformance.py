"""The conformance suite every IdentityProvider (accounts/eid/base.py) passes.

Subclass `IdentityProviderConformance` in a test module and provide three fixtures:
- `idp`: the provider under test, set up against a test instance of the real thing (over real HTTP);
- `person`: what that instance says about the citizen who signs in: `subject`, `id_number`, `full_name`;
- `browser`: a function that does what the citizen's browser does with an authorization URL (follow it,
  sign in at the provider) and returns the query parameters it is sent back to the redirect URI with.

The suite checks the contract the views rely on: the state comes back unchanged; the code is bound to
this sign-in's nonce, PKCE verifier and redirect URI and works once; every failure is an IdentityError
whose reason is a short code; no code, token or personal data reaches an error or the log.
"""

from __future__ import annotations

import logging
import re
import secrets
import urllib.parse

import pytest

from motcua.accounts.eid.base import ID_NUMBER, Identity, IdentityError, IdentityProvider

REDIRECT_URI = "http://127.0.0.1:8000/tai-khoan/dinh-danh/callback/"
REASON = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")


def new_flow(**overrides) -> dict:
    """What the start view makes for one sign-in (and keeps in the session)."""
    return {
        "redirect_uri": REDIRECT_URI,
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "code_verifier": secrets.token_urlsafe(64),
        **overrides,
    }


class IdentityProviderConformance:
    def start(self, idp, browser, **overrides) -> tuple[dict, dict]:
        flow = new_flow(**overrides)
        back = browser(idp.authorization_url(**flow))
        return flow, back

    def finish(self, idp, flow: dict, back: dict, **overrides) -> Identity:
        args = {
            "code": back.get("code", ""),
            "redirect_uri": flow["redirect_uri"],
            "nonce": flow["nonce"],
            "code_verifier": flow["code_verifier"],
            **overrides,
        }
        return idp.identify(**args)

    def refused(self, call) -> IdentityError:
        with pytest.raises(IdentityError) as error:
            call()
        assert REASON.match(error.value.reason), error.value.reason
        return error.value

    # the contract

    def test_implements_the_protocol(self, idp):
        assert isinstance(idp, IdentityProvider)
        assert isinstance(idp.name, str) and idp.name

    def test_the_authorization_url_is_absolute_and_the_state_comes_back(self, idp, browser):
        flow = new_flow()
        url = idp.authorization_url(**flow)
        parts = urllib.parse.urlsplit(url)
        assert parts.scheme in ("https", "http") and parts.netloc
        assert flow["code_verifier"] not in url  # only a challenge derived from it may travel
        back = browser(url)
        assert back["state"] == flow["state"] and back.get("code")

    def test_identifies_the_person(self, idp, browser, person):
        identity = self.finish(idp, *self.start(idp, browser))
        assert isinstance(identity, Identity)
        assert identity.subject == person["subject"]
        assert identity.id_number == person["id_number"] and ID_NUMBER.match(identity.id_number)
        assert identity.full_name == person["full_name"]
        shown = repr(identity)
        for secret in (identity.subject, identity.id_number, identity.full_name):
            assert secret not in shown

    def test_a_code_works_once(self, idp, browser):
        flow, back = self.start(idp, browser)
        self.finish(idp, flow, back)
        self.refused(lambda: self.finish(idp, flow, back))

    def test_the_code_is_bound_to_the_pkce_verifier(self, idp, browser):
        flow, back = self.start(idp, browser)
        self.refused(lambda: self.finish(idp, flow, back, code_verifier=secrets.token_urlsafe(64)))

    def test_the_code_is_bound_to_the_nonce(self, idp, browser):
        flow, back = self.start(idp, browser)
        self.refused(lambda: self.finish(idp, flow, back, nonce=secrets.token_urlsafe(32)))

    def test_the_code_is_bound_to_the_redirect_uri(self, idp, browser):
        flow, back = self.start(idp, browser)
        self.refused(lambda: self.finish(idp, flow, back, redirect_uri=REDIRECT_URI + "other/"))

    def test_a_made_up_code_is_refused(self, idp):
        self.refused(lambda: self.finish(idp, new_flow(), {"code": secrets.token_urlsafe(24)}))

    def test_nothing_secret_reaches_an_error_or_the_log(self, idp, browser, person, caplog):
        caplog.set_level(logging.DEBUG)
        motcua = logging.getLogger("motcua")  # does not propagate to the root
        motcua.addHandler(caplog.handler)
        try:
            flow, back = self.start(idp, browser)
            self.finish(idp, flow, back)
            error = self.refused(lambda: self.finish(idp, flow, back))  # the code, used again
        finally:
            motcua.removeHandler(caplog.handler)
        shown = f"{error.message} {error.reason} {error!r}"
        logged = "\n".join(record.getMessage() for record in caplog.records)
        secrets_ = [
            back["code"],
            flow["nonce"],
            flow["code_verifier"],
            person["id_number"],
            person["subject"],
        ]
        for secret in secrets_:
            assert secret not in shown and secret not in logged
