"""Authentication (HTTP Basic, Bearer personal tokens) and the scope check.

A failed login is answered like a missing one (AWX gives the same 401 body for both), so the
authentication classes return None instead of raising.
"""
import base64
import binascii
import hashlib
import secrets

from django.utils import timezone
from rest_framework import authentication, permissions

from awxsim.models import Token, User

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def hash_token(raw):
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_token_string():
    return secrets.token_urlsafe(24)[:30]


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.lower().startswith("bearer "):
            return None
        raw = header[7:].strip()
        if not raw:
            return None
        token = (Token.objects.select_related("user")
                 .filter(token_hash=hash_token(raw), expires__gt=timezone.now()).first())
        if token is None:
            return None
        return token.user, token

    def authenticate_header(self, request):
        return "Bearer realm=api authorization_url=/api/o/authorize/"


class BasicAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.lower().startswith("basic "):
            return None
        try:
            decoded = base64.b64decode(header[6:].strip()).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        username, sep, password = decoded.partition(":")
        if not sep:
            return None
        user = User.objects.filter(username=username).first()
        if user is None or not user.check_password(password):
            return None
        return user, None

    def authenticate_header(self, request):
        return "Bearer realm=api authorization_url=/api/o/authorize/"


class IsAuthenticatedWithScope(permissions.BasePermission):
    """Logged in; a read-scope token may only read."""

    def has_permission(self, request, view):
        if request.user is None:
            return False
        token = request.auth
        if isinstance(token, Token) and token.scope == "read" \
                and request.method not in SAFE_METHODS:
            return False
        return True


class AllowAny(permissions.BasePermission):
    def has_permission(self, request, view):
        return True
