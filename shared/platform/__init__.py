"""The service platform: what every Tidtam service runs on (messaging, topology, MongoDB,
start-up and health, credentials, outbox, set-up copies). Services import it; domains never."""
