"""A 2xx answer that is not AWX's JSON (a login page, a proxy, another web server) is one typed error."""
import pytest
import responses

from ansible_collections.gitops.awx.plugins.module_utils._errors import AWXError, ConfigurationError, NotAWXAnswer

from test_client_support import API, HOST, PASSWORD, make_client

LOGIN_PAGE = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>" + "x" * 3000 + "</body></html>"


@responses.activate
def test_an_html_page_answering_200_is_a_typed_one_line_error():
    responses.get(API + "organizations/", body=LOGIN_PAGE, content_type="text/html; charset=utf-8")
    client = make_client(max_retries=3)
    with pytest.raises(NotAWXAnswer) as info:
        client.get("organizations/", {"name": "x"})
    assert str(info.value) == ("GET %s/api/v2/organizations/?name=x answered 200 with an HTML page, "
                               "not AWX's JSON; check controller_host" % HOST)
    assert isinstance(info.value, AWXError)  # what every boundary converts
    assert (info.value.method, info.value.status) == ("GET", 200)
    assert client.request_count == 1  # the same URL would answer the same page: not retried


@responses.activate
def test_a_redirect_to_a_login_page_says_where_it_went():
    responses.get(API + "organizations/", status=302, headers={"Location": HOST + "/sso/login/?next=/api/v2/&token=abc123"})
    responses.get(HOST + "/sso/login/", body=LOGIN_PAGE, content_type="text/html")
    with pytest.raises(NotAWXAnswer) as info:
        make_client().get("organizations/")
    assert str(info.value) == (
        "GET %s/api/v2/organizations/ answered 200 with an HTML page (redirected to %s/sso/login/?next=%%2Fapi%%2Fv2%%2F&token=********), "
        "not AWX's JSON; check controller_host" % (HOST, HOST))


@responses.activate
def test_html_without_a_content_type_and_plain_text_are_named():
    responses.get(API + "hosts/", body="<html><body>proxy</body></html>", content_type="")
    responses.get(API + "groups/", body="It works!", content_type="text/plain")
    client = make_client()
    with pytest.raises(NotAWXAnswer) as info:
        client.get("hosts/")
    assert "answered 200 with an HTML page" in str(info.value)
    with pytest.raises(NotAWXAnswer) as info:
        client.get("groups/")
    assert "answered 200 with a text/plain page, not AWX's JSON" in str(info.value)


@responses.activate
def test_a_json_content_type_with_a_body_that_is_not_json():
    responses.get(API + "hosts/1/", body="{'id': 1", content_type="application/json")
    with pytest.raises(NotAWXAnswer) as info:
        make_client().get("hosts/1/")
    assert "answered 200 with a body that is not valid JSON (Content-Type application/json)" in str(info.value)


@responses.activate
def test_writes_answered_with_a_page_are_refused_too_and_the_query_is_masked():
    responses.post(API + "organizations/", status=201, body="<html>ok</html>", content_type="text/html")
    responses.get(API + "tokens/", body="<html>ok</html>", content_type="text/html")
    client = make_client()
    with pytest.raises(NotAWXAnswer) as info:
        client.post("organizations/", {"name": "x"})
    assert str(info.value).startswith("POST %s/api/v2/organizations/ answered 201 with an HTML page" % HOST)
    with pytest.raises(NotAWXAnswer) as info:
        client.get("tokens/", {"token": "s3cr3t-value"})
    assert "s3cr3t-value" not in str(info.value) and "token=********" in str(info.value)


@responses.activate
def test_empty_answers_and_json_answers_stay_fine():
    responses.post(API + "organizations/1/users/", status=204)
    responses.post(API + "jobs/3/cancel/", status=202, body="", content_type="text/html")
    responses.get(API + "hosts/", json={"count": 0, "next": None, "results": []})
    responses.get(API + "projects/7/playbooks/", json=["hello.yml"])
    client = make_client()
    assert client.post("organizations/1/users/", {"id": 3}, idempotent=True) is None
    assert client.post("jobs/3/cancel/", {}, idempotent=True) is None
    assert client.get("hosts/")["results"] == []
    assert client.get("projects/7/playbooks/") == ["hello.yml"]


@responses.activate
def test_text_asked_for_with_accept_is_the_callers():
    responses.get(API + "jobs/9/stdout/", body="PLAY [all]\n", content_type="text/plain")
    response = make_client().request("GET", "jobs/9/stdout/", params={"format": "txt"}, accept="*/*")
    assert response.text == "PLAY [all]\n"


@responses.activate
def test_an_html_api_index_during_discovery_says_it_is_not_awx():
    responses.get(API + "organizations/", status=404, body="<html>Not Found</html>", content_type="text/html")
    responses.get(HOST + "/api/", body=LOGIN_PAGE, content_type="text/html")
    with pytest.raises(ConfigurationError) as info:
        make_client(api_prefix=None).get("organizations/")
    assert "does not look like an AWX or automation controller API" in str(info.value)


@responses.activate
def test_a_page_answering_the_session_token_post_keeps_basic_and_the_request_fails_cleanly():
    responses.get(API + "organizations/", body=LOGIN_PAGE, content_type="text/html")
    responses.post(API + "tokens/", status=200, body=LOGIN_PAGE, content_type="text/html")
    client = make_client(controller_username="admin", controller_password=PASSWORD, switch_after=0)
    with pytest.raises(NotAWXAnswer) as info:
        client.get("organizations/")
    assert str(info.value).startswith("GET %s/api/v2/organizations/ answered 200 with an HTML page" % HOST)
    assert PASSWORD not in str(info.value)
    assert [c.request.method for c in responses.calls] == ["POST", "GET"]


@responses.activate
def test_pages_and_objects_raise_it_before_reading_a_page():
    responses.get(API + "hosts/", body=LOGIN_PAGE, content_type="text/html")
    with pytest.raises(NotAWXAnswer):
        make_client().list("hosts/")
