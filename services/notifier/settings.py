"""The notifier's own settings, from the environment (listed in the README)."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class NotifierSettings(BaseSettings):
    """How the notifier reaches people. E-mail is on once `TIDTAM_SMTP_HOST` is set, LINE
    once `TIDTAM_LINE_CHANNEL_TOKEN` is; with neither, notices and digests are recorded and
    nothing is sent."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    smtp_host: str | None = Field(None, validation_alias="TIDTAM_SMTP_HOST")
    smtp_port: int = Field(587, ge=1, le=65535, validation_alias="TIDTAM_SMTP_PORT")
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        "starttls", validation_alias="TIDTAM_SMTP_SECURITY"
    )
    smtp_username: str | None = Field(None, validation_alias="TIDTAM_SMTP_USERNAME")
    smtp_password: SecretStr | None = Field(None, validation_alias="TIDTAM_SMTP_PASSWORD")
    smtp_ca_file: Path | None = Field(
        None,
        validation_alias="TIDTAM_SMTP_CA_FILE",
        description="Certificates to trust for the SMTP server's TLS (unset: the system's).",
    )
    smtp_from: str = Field(
        "Tidtam <tidtam@localhost>", min_length=3, validation_alias="TIDTAM_SMTP_FROM"
    )
    line_channel_token: SecretStr | None = Field(None, validation_alias="TIDTAM_LINE_CHANNEL_TOKEN")
    line_api_url: str = Field("https://api.line.me", validation_alias="TIDTAM_LINE_API_URL")
    console_public_url: str = Field(
        "http://127.0.0.1:8000",
        validation_alias="TIDTAM_CONSOLE_PUBLIC_URL",
        description="The console's address as people open it: the links in messages.",
    )
    digests_per_day: int = Field(1, ge=1, le=24, validation_alias="TIDTAM_NOTIFY_DIGESTS_PER_DAY")
    gather_s: float = Field(60, ge=0, validation_alias="TIDTAM_NOTIFY_GATHER_S")
    digest_interval_s: float = Field(30, gt=0, validation_alias="TIDTAM_NOTIFY_INTERVAL_S")
    send_lease_s: float = Field(120, gt=0, validation_alias="TIDTAM_NOTIFY_SEND_LEASE_S")
