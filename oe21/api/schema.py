"""The OpenAPI schema class of the REST export (its own module: DRF settings import it)."""

from drf_spectacular.openapi import AutoSchema

ERROR_RESPONSES = {
    "400": "A parameter is wrong; the body names it: {\"updated_since\": [\"Enter a valid date/time.\"]}.",
    "401": "No token, or an unknown or revoked one: {\"detail\": \"…\"}.",
    "403": "The token's user does not have the PMS client role: {\"detail\": \"…\"}.",
    "404": "No such row: {\"detail\": \"No Offering matches the given query.\"}.",
}


class ExportAutoSchema(AutoSchema):
    """Every export operation also documents its JSON error answers."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_RESPONSES.items():
            if code == "404" and "{id}" not in self.path:
                continue
            responses.setdefault(code, {
                "description": description,
                "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}},
            })
        return responses
