"""Configuration read from the environment; every variable is listed in the README."""

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PORTS = {
    "console": 8000,
    "intake": 8001,
    "monitoring": 8002,
    "evaluation": 8003,
    "reporting": 8004,
    "notifier": 8005,
}


class Settings(BaseSettings):
    """Settings common to every service."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    amqp_url: str = Field("amqp://guest:guest@127.0.0.1:5672/", validation_alias="AMQP_URL")
    mongodb_url: str = Field("mongodb://127.0.0.1:27017", validation_alias="MONGODB_URL")
    namespace: str = Field(
        "tidtam",
        validation_alias="TIDTAM_NAMESPACE",
        pattern=r"^[a-z][a-z0-9_-]{0,40}$",
        description="Prefix of exchanges, queues and database names (tests use a unique one).",
    )
    http_host: str = Field("127.0.0.1", validation_alias="TIDTAM_HTTP_HOST")
    http_port: int | None = Field(None, validation_alias="TIDTAM_HTTP_PORT")
    prefetch: int = Field(100, ge=1, le=1000, validation_alias="TIDTAM_PREFETCH")
    max_attempts: int = Field(5, ge=1, le=50, validation_alias="TIDTAM_MAX_ATTEMPTS")
    retry_delay_ms: int = Field(1000, ge=10, validation_alias="TIDTAM_RETRY_DELAY_MS")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    admin_token: SecretStr | None = Field(
        None,
        validation_alias="TIDTAM_ADMIN_TOKEN",
        description="Issues API keys (intake's /credentials); unset = no one can.",
    )
    reminder_interval_s: float = Field(
        300,
        gt=0,
        validation_alias="TIDTAM_REMINDER_INTERVAL_S",
        description="How often monitoring looks for units to remind, and evaluation relays "
        "its outbox and announces inspection reports and overdue recommendations.",
    )
    reminder_cadence_days: int = Field(3, ge=1, validation_alias="TIDTAM_REMINDER_CADENCE_DAYS")
    escalate_after_days: int = Field(7, ge=0, validation_alias="TIDTAM_ESCALATE_AFTER_DAYS")
    # The input boundary (shared.platform.limits), the same over HTTP and AMQP.
    max_body_bytes: int = Field(1_000_000, ge=1024, validation_alias="TIDTAM_MAX_BODY_BYTES")
    max_json_depth: int = Field(64, ge=8, le=500, validation_alias="TIDTAM_MAX_JSON_DEPTH")
    max_integer_digits: int = Field(19, ge=1, le=19, validation_alias="TIDTAM_MAX_INTEGER_DIGITS")
    max_evidence_bytes: int = Field(
        20_000_000, ge=1024, validation_alias="TIDTAM_MAX_EVIDENCE_BYTES"
    )

    identity_public_key_file: Path | None = Field(
        None,
        validation_alias="TIDTAM_IDENTITY_PUBLIC_KEY_FILE",
        description="The console's Ed25519 public key (PEM): services verify the short-lived "
        "tokens the console signs for the person who acts. Unset: API keys only.",
    )
    identity_private_key_file: Path | None = Field(
        None,
        validation_alias="TIDTAM_IDENTITY_PRIVATE_KEY_FILE",
        description="The console's signing key (PEM; created with its public key beside it, "
        "`<file>.pub`, if missing).",
    )
    intake_url: str = Field("http://127.0.0.1:8001", validation_alias="TIDTAM_INTAKE_URL")
    monitoring_url: str = Field("http://127.0.0.1:8002", validation_alias="TIDTAM_MONITORING_URL")
    evaluation_url: str = Field("http://127.0.0.1:8003", validation_alias="TIDTAM_EVALUATION_URL")
    reporting_url: str = Field("http://127.0.0.1:8004", validation_alias="TIDTAM_REPORTING_URL")
    local_dir: Path = Field(
        Path(".local"),
        validation_alias="TIDTAM_LOCAL_DIR",
        description="Local state; the console's operator page writes purged dead letters "
        "under `<dir>/purged/` before deleting them.",
    )
    notifier_url: str = Field("http://127.0.0.1:8005", validation_alias="TIDTAM_NOTIFIER_URL")
    # RabbitMQ's management API: the console's operator page reads the queues' figures there.
    management_url: str = Field("http://127.0.0.1:15672", validation_alias="TIDTAM_MANAGEMENT_URL")
    management_user: str = Field("guest", validation_alias="TIDTAM_MANAGEMENT_USER")
    management_password: SecretStr = Field(
        SecretStr("guest"), validation_alias="TIDTAM_MANAGEMENT_PASSWORD"
    )

    def port_of(self, service: str) -> int:
        """The HTTP port of `service`: TIDTAM_HTTP_PORT if set, else its default."""
        return self.http_port or DEFAULT_PORTS[service]

    def database_of(self, service: str) -> str:
        """Each service owns one database, named after the namespace and the service."""
        return f"{self.namespace}_{service}".replace("-", "_")
