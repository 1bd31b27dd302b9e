"""The JSON API: the rating exactly as ``inspect run --name NAME --format json`` prints it,
and the fieldwork progress as ``inspect status --format json``."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse, Response

from ..errors import InputError


def rating(ctx: Any) -> Response:
    from ..store.reporting import rating_text
    try:
        text = rating_text(ctx.fieldwork, "json")
    except InputError as exc:
        return JSONResponse({"error": exc.summary or "cannot be rated yet",
                             "problems": [str(p) for p in exc.problems]}, status_code=409)
    return Response(text, media_type="application/json")


def status(ctx: Any) -> Response:
    return Response(json.dumps(ctx.fieldwork.status().to_dict(), indent=1, ensure_ascii=False) + "\n",
                    media_type="application/json")
