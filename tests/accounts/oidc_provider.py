"""A small OpenID Connect provider for tests: a real HTTP server on loopback that issues RS256-signed
ID tokens with an RSA key generated at start. It implements discovery, the authorization endpoint
(the person is whoever the test says is signed in at the provider), the token endpoint (client secret
and PKCE S256 checked, codes single-use), userinfo and the JWKS. Nothing leaves the machine."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass
class LocalOidcProvider:
    client_id: str = "shinsa-test"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    identity: dict[str, Any] = field(default_factory=dict)  # claims of whoever signs in next
    audience: str | None = None  # set to issue ID tokens for another client (a forged-token test)
    token_requests: int = 0

    def __post_init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = secrets.token_hex(4)
        self._codes: dict[str, dict[str, Any]] = {}
        self._access: dict[str, dict[str, Any]] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalOidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- the endpoints -----------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        public = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [public | {"kid": self._kid, "use": "sig", "alg": "RS256"}]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str]]:
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {}
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "claims": dict(self.identity),
            "nonce": query.get("nonce"),
            "challenge": query.get("code_challenge"),
            "redirect_uri": query["redirect_uri"],
        }
        target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
        return 302, {"Location": target}

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.token_requests += 1
        grant = self._codes.pop(form.get("code", ""), None)  # single use
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client"}
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        if grant["challenge"]:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                return 400, {"error": "invalid_grant"}
        now = int(time.time())
        claims = grant["claims"] | {
            "iss": self.issuer,
            "aud": self.audience or self.client_id,
            "iat": now,
            "exp": now + 300,
        }
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self._kid})
        access = secrets.token_urlsafe(16)
        self._access[access] = grant["claims"]
        return 200, {"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}

    def userinfo(self, authorization: str) -> tuple[int, dict[str, Any]]:
        claims = self._access.get(authorization.removeprefix("Bearer "))
        return (200, claims) if claims is not None else (401, {"error": "invalid_token"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(200, provider.discovery())
                elif url.path == "/jwks":
                    self._json(200, provider.jwks())
                elif url.path == "/authorize":
                    status, headers = provider.authorize(query)
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif url.path == "/userinfo":
                    self._json(*provider.userinfo(self.headers.get("Authorization", "")))
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlparse(self.path).path == "/token":
                    self._json(*provider.token(form))
                else:
                    self._json(404, {"error": "not_found"})

        return Handler


@pytest.fixture
def idp(settings):
    """A running provider, and Shinsa's SSO settings pointing at it (CSP included)."""
    provider = LocalOidcProvider().start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Example IdP",
                    "client_id": provider.client_id,
                    "secret": provider.client_secret,
                    "settings": {"server_url": provider.issuer, "token_auth_method": "client_secret_post"},
                }
            ],
        }
    }
    # As settings.py does when SHINSA_OIDC_SERVER_URL is set: the provider may receive the redirect.
    settings.SECURE_CSP = settings.SECURE_CSP | {"form-action": ["'self'", provider.issuer]}
    yield provider
    provider.stop()
