"""Stand-ins for what the notifier talks to: a real SMTP server (aiosmtpd, with STARTTLS and
a login) and a local HTTP server that answers like LINE's Messaging API push endpoint."""

import contextlib
import datetime
import email
import email.policy
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.servers import free_port

SMTP_USER, SMTP_PASSWORD = "tidtam", "รหัสผ่าน-ทดสอบ"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made for this test run."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp.crt", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Mailbox:
    """What the SMTP server received; addresses starting with `refuse` are refused (550)."""

    port: int
    ca_file: Path
    messages: list[EmailMessage] = field(default_factory=list)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.startswith("refuse"):
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        parsed = email.message_from_bytes(
            bytes(envelope.content or b""), policy=email.policy.default
        )
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 2.0.0 queued"


def _login(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode(),
        auth_data.password.decode(),
    ) == (SMTP_USER, SMTP_PASSWORD)
    return AuthResult(success=ok)


@contextlib.contextmanager
def smtp_server(folder: Path) -> Iterator[Mailbox]:
    """aiosmtpd on a free loopback port: STARTTLS required, then a login, then mail."""
    cert, key = self_signed(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox(free_port(), cert)
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=mailbox.port,
        tls_context=context,
        require_starttls=True,
        authenticator=_login,
        auth_require_tls=True,
        auth_required=True,
    )
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@dataclass
class LineApi:
    """Pushes received, by user id; `refuse` user ids get 400, `flaky` ones 500 until fixed."""

    url: str
    token: str
    pushes: list[dict[str, Any]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    flaky: dict[str, int] = field(default_factory=dict)  # user id -> failures left
    accepted_keys: dict[str, str] = field(default_factory=dict)

    def to(self, user_id: str) -> list[str]:
        return [p["messages"][0]["text"] for p in self.pushes if p["to"] == user_id]

    def answer(self, headers: Any, body: dict[str, Any]) -> tuple[int, dict[str, str], str]:
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {}, json.dumps({"message": "Authentication failed"})
        key = headers.get("X-Line-Retry-Key", "")
        if key in self.accepted_keys:
            return 409, {"x-line-accepted-request-id": self.accepted_keys[key]}, "{}"
        user = body.get("to", "")
        if user in self.refuse:
            return (
                400,
                {},
                json.dumps({"message": "The property, 'to', in the request body is invalid"}),
            )
        if self.flaky.get(user, 0) > 0:
            self.flaky[user] -= 1
            return 500, {}, json.dumps({"message": "Internal server error"})
        request_id = f"req-{len(self.pushes) + 1}"
        self.accepted_keys[key] = request_id
        self.pushes.append(body)
        return 200, {"x-line-request-id": request_id}, "{}"


@contextlib.contextmanager
def line_server(token: str = "line-channel-token-for-tests") -> Iterator[LineApi]:
    """A local HTTP server answering POST /v2/bot/message/push the way LINE does."""
    port = free_port()
    api = LineApi(f"http://127.0.0.1:{port}", token)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            if self.path != "/v2/bot/message/push":
                status, headers, text = 404, {}, "{}"
            else:
                status, headers, text = api.answer(self.headers, body)
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(text.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
