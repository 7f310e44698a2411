"""OpenAPI post-processing: the committed schema must not depend on the database engine."""

# Integer bounds that Django derives from the engine's column types (SQLite and PostgreSQL differ).
ENGINE_BOUNDS = {32767, 2147483647, 9223372036854775807, -32768, -2147483648, -9223372036854775808}


def _strip(node):
    if isinstance(node, dict):
        for key in ("maximum", "minimum"):
            if node.get(key) in ENGINE_BOUNDS:
                node.pop(key)
        if node.get("type") == "integer" and node.get("format") == "int64":
            node.pop("format")
        for value in node.values():
            _strip(value)
    elif isinstance(node, list):
        for value in node:
            _strip(value)


def portable_integers(result, generator, request, public):
    _strip(result)
    return result
