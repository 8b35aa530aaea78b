"""A transport for tests: records the deliveries, answers ``status`` (or raises ``error``)."""

calls: list[tuple[str, bytes, dict]] = []
status = 204
error: Exception | None = None


def post(url: str, body: bytes, headers: dict) -> int:
    if error is not None:
        raise error
    calls.append((url, body, headers))
    return status
