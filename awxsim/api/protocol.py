"""Request plumbing shared by every endpoint: parsing, errors, negotiation, pagination."""
import json
import sys
import traceback

from django.http import Http404
from rest_framework import exceptions, parsers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

NOT_AUTHENTICATED = ("Authentication credentials were not provided. "
                     "To establish a login session, visit /api/login/.")
NO_PERMISSION = "You do not have permission to perform this action."
BAD_MEDIA_TYPE = ("You did not use correct Content-Type in your HTTP request. If you are using "
                  "our REST API, the Content-Type must be application/json")
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


class ObjectJSONParser(parsers.JSONParser):
    """JSON bodies must be objects, as AWX requires; errors worded as AWX words them."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw.decode("utf-8"))
        except ValueError as exc:
            message = "JSON parse error - %s" % exc
            if str(exc).startswith("Expecting property name enclosed in double quotes"):
                message += "\nPossible cause: trailing comma."
            raise exceptions.ParseError(message)
        if not isinstance(data, dict):
            raise exceptions.ParseError("JSON parse error - not a JSON object")
        return data


class Negotiation(DefaultContentNegotiation):
    """Like DRF's, but a client that asks for nothing we render still gets JSON.

    An explicit ``?format=`` keeps DRF's strict behaviour (AWX answers 406 for
    ``stdout/?format=txt`` with ``Accept: application/json``, and 404 for an unknown format).
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            if request.query_params.get(self.settings.URL_FORMAT_OVERRIDE):
                raise
            return renderers[0], renderers[0].media_type


def exception_handler(exc, context):
    """Every error as AWX shows it: JSON, never a debug page, never an unhandled 500."""
    headers = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*(exc.args or ("The requested resource could not be found.",)))
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        headers["WWW-Authenticate"] = "Bearer realm=api authorization_url=/api/o/authorize/"
        return Response({"detail": NOT_AUTHENTICATED}, status=401, headers=headers)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return Response({"detail": BAD_MEDIA_TYPE}, status=415)
    if isinstance(exc, exceptions.APIException):
        data = exc.detail if isinstance(exc.detail, (list, dict)) else {"detail": exc.detail}
        if getattr(exc, "wait", None):
            headers["Retry-After"] = "%d" % exc.wait
        return Response(data, status=exc.status_code, headers=headers)
    if isinstance(exc, ApiError):
        return Response(exc.body, status=exc.status)
    traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    return Response({"detail": "A server error has occurred: %s" % type(exc).__name__},
                    status=500)


class ApiError(Exception):
    """An answer with an exact status and body (AWX has a few that are neither DRF shape)."""

    def __init__(self, status, body):
        super().__init__(status)
        self.status = status
        self.body = body


def bad_request(body):
    return ApiError(400, body)


def _query_string(params):
    from urllib.parse import urlencode
    return urlencode(sorted(params.items()), doseq=True)


def paginate(request, queryset):
    """(page objects, page dict without results) with AWX's size rules and host-relative links."""
    raw_size = request.query_params.get("page_size")
    page_size = DEFAULT_PAGE_SIZE
    clamped = False
    if raw_size not in (None, ""):
        try:
            page_size = int(raw_size)
        except ValueError as exc:
            raise bad_request({"error": str(exc)})
        if page_size <= 0:
            page_size = DEFAULT_PAGE_SIZE
        elif page_size > MAX_PAGE_SIZE:
            page_size = MAX_PAGE_SIZE
            clamped = True
    raw_page = request.query_params.get("page", "1")
    try:
        page = int(raw_page)
    except ValueError:
        raise bad_request({"error": "Invalid page."})
    count = queryset.count() if hasattr(queryset, "count") and not isinstance(queryset, list) \
        else len(queryset)
    pages = max(1, -(-count // page_size))
    if page < 1 or page > pages:
        raise bad_request({"error": "Invalid page."})
    start = (page - 1) * page_size
    objects = list(queryset[start:start + page_size])
    params = {k: request.query_params.getlist(k) for k in request.query_params}
    if clamped:
        params["page_size"] = [str(page_size)]

    def link(number):
        linked = dict(params)
        linked["page"] = [str(number)]
        return "%s?%s" % (request.path, _query_string(linked))

    return objects, {
        "count": count,
        "next": link(page + 1) if page < pages else None,
        "previous": link(page - 1) if page > 1 else None,
    }


def page_response(request, queryset, render):
    objects, page = paginate(request, queryset)
    page["results"] = render(objects)
    return Response(page)
