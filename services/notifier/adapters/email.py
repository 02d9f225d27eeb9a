"""E-mail over SMTP (aiosmtplib): STARTTLS or implicit TLS, and credentials, from settings."""

import email.utils
import ssl
from dataclasses import dataclass
from email.header import Header
from email.mime.text import MIMEText
from typing import Literal

import aiosmtplib

from services.notifier.domain.deliveries import DeliveryFailed, Sent
from services.notifier.domain.digests import Message

Security = Literal["starttls", "tls", "none"]


@dataclass(frozen=True)
class SmtpSender:
    """Sends a digest as a UTF-8 plain-text e-mail; raises DeliveryFailed with the answer."""

    host: str
    port: int
    sender: str
    security: Security = "starttls"
    username: str | None = None
    password: str | None = None
    timeout_s: float = 30.0
    tls_context: ssl.SSLContext | None = None

    def build(self, address: str, message: Message, key: str) -> MIMEText:
        # email.message.EmailMessage folds a long Thai subject into encoded words that lose
        # the spaces between Thai phrases; the classic Header keeps them inside the words.
        mail = MIMEText(message.text, "plain", "utf-8")
        name, sender = email.utils.parseaddr(self.sender)
        mail["From"] = email.utils.formataddr((name, sender), charset="utf-8")
        mail["To"] = address
        mail["Subject"] = Header(message.subject, "utf-8")  # type: ignore[assignment]
        mail["Date"] = email.utils.formatdate(localtime=False)
        # The same delivery keeps the same Message-ID, so a resend after a crash shows once.
        mail["Message-ID"] = f"<{key}@tidtam>"
        return mail

    async def send(self, address: str, message: Message, key: str) -> Sent:
        try:
            _, answer = await aiosmtplib.send(
                self.build(address, message, key),
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                start_tls=self.security == "starttls",
                use_tls=self.security == "tls",
                tls_context=self.tls_context,
                timeout=self.timeout_s,
            )
        except aiosmtplib.SMTPRecipientsRefused as refused:
            said = "; ".join(f"{r.code} {r.message}" for r in refused.recipients)
            permanent = all(r.code >= 500 for r in refused.recipients)
            raise DeliveryFailed(f"recipient refused: {said}", permanent=permanent) from None
        except aiosmtplib.SMTPResponseException as error:
            answer = f"{error.code} {error.message}"
            raise DeliveryFailed(answer, permanent=error.code >= 500) from None
        except (aiosmtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}", permanent=False) from None
        return Sent(f"250 {answer}")  # aiosmtplib gives the text of the DATA reply
