"""Token authentication of the REST export's clients (kept apart: DRF settings import it)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .tokens import api_token_check


class PmsTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` with a key made by `manage.py create_pms_token`."""

    keyword = "Token"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed("The Authorization header must be “Token <key>”.")
        token = api_token_check(header[1].decode(errors="replace"))
        if token is None:
            raise AuthenticationFailed("Unknown or revoked token.")
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class PmsTokenScheme(OpenApiAuthenticationExtension):
    target_class = "oe21.api.authentication.PmsTokenAuthentication"
    name = "PmsToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "“Token <key>”; an admin creates keys with manage.py create_pms_token."}
