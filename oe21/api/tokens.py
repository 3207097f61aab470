"""Tokens of the REST export's clients: create, check, revoke."""

import hashlib
import secrets

from django.utils import timezone

from ..models import ApiToken

LAST_USED_PRECISION_SECONDS = 60  # record use at most once a minute per token


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the token and its key (shown only this once)."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_prefix=key[:8], key_hash=_hash(key))
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_check(key: str) -> ApiToken | None:
    """The active token with this key, its last use recorded; None if unknown or revoked."""
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=_hash(key), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
