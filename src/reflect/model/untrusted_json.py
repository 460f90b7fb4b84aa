"""JSON from outside (imports, clients' summaries), loaded with bounds a hostile file can't pass.

`json.loads` dies with RecursionError on deep nesting and keeps lone
surrogate escapes ("\\ud800") as strings no file can hold; both ended
commands in a traceback.
"""

import json
import re
from typing import Any

MAX_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")


def load_json(text: str) -> Any:
    """The data in text; ValueError in words when it is not JSON or is nested too deeply.

    Lone surrogates become U+FFFD, the character that says "something was here".
    """
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} at line {exc.lineno}") from None
    _check_depth(data)
    return _repair(data)


def _check_depth(data: Any) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _repair(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        return {_text(k): _repair(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_repair(v) for v in value]
    return value


def _text(text: str) -> str:
    # json has already joined every proper pair; a surrogate left is a lone one.
    return _SURROGATE.sub("\ufffd", text)
