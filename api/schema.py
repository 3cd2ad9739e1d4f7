"""OpenAPI: every operation documents the errors it can answer, not only its success."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

from api.serializers import ErrorOutput

_VALIDATION = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        'Bad input: `{"field": ["why"]}` for a field, `{"detail": "why"}` otherwise '
        "(malformed JSON, a malformed filter value)."
    ),
)
ERRORS = {
    "400": _VALIDATION,
    "401": OpenApiResponse(ErrorOutput, description="Not logged in, or a bad or expired token."),
    "403": OpenApiResponse(ErrorOutput, description="Your role may not do this."),
    "404": OpenApiResponse(
        ErrorOutput, description="No such object, or not within your reach; or no such page."
    ),
    "429": OpenApiResponse(
        ErrorOutput, description="Too many requests; the Retry-After header says when to retry."
    ),
}
BODY_ERRORS = {
    "413": OpenApiResponse(ErrorOutput, description="The body is too large."),
    "415": OpenApiResponse(ErrorOutput, description="Send JSON (Content-Type: application/json)."),
}


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        extra = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            extra.update(BODY_ERRORS)
        for code, response in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
