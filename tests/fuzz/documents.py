"""Reading the services' AsyncAPI documents as a client would: one message's schema."""

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker


def message_of(document: dict[str, Any], routing_key: str) -> dict[str, Any]:
    """The message a document declares for `routing_key`."""
    found = [m for m in document["components"]["messages"].values() if m.get("name") == routing_key]
    assert len(found) == 1, f"{routing_key}: {len(found)} messages in the document"
    return found[0]


def validator(document: dict[str, Any], routing_key: str) -> Draft202012Validator:
    """A validator of `routing_key`'s envelope, its references resolved in the document."""
    payload = message_of(document, routing_key)["payload"]
    assert payload["schemaFormat"].startswith("application/schema+json;version=draft-2020-12")
    schema = {**payload["schema"], "components": document["components"]}
    return Draft202012Validator(schema, format_checker=FormatChecker())


def problems(document: dict[str, Any], routing_key: str, body: Any) -> list[str]:
    """Every way `body` breaks the document's schema for `routing_key` ([] if none)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
        for e in validator(document, routing_key).iter_errors(body)
    ]


def references(node: Any) -> list[str]:
    """Every `$ref` in a document."""
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in references(value)]
    if isinstance(node, list):
        return [r for item in node for r in references(item)]
    return []


def resolve(document: dict[str, Any], reference: str) -> Any:
    """The node a local `#/…` reference points at (KeyError if none)."""
    assert reference.startswith("#/"), reference
    node: Any = document
    for part in reference[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node
