"""SCM projects: updates run git for real on throwaway repositories (file:// URLs, offline)."""
import os
import subprocess
import textwrap
import time

import pytest

FINISHED = ("successful", "failed", "error", "canceled")
HELLO = """
    - name: Hello from git
      hosts: all
      gather_facts: false
      tasks:
        - name: say hello
          ansible.builtin.debug:
            msg: hello from the git checkout
    """


def git(cwd, *args, date="2024-01-01T00:00:00Z"):
    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date,
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    return subprocess.run(["git"] + list(args), cwd=cwd, env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def write(root, files):
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(textwrap.dedent(text).lstrip())


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """main: hello.yml, inventory.ini, inventories/second.yml; branch 'feature' adds
    feature.yml; tag v1 on the first commit."""
    root = str(tmp_path_factory.mktemp("gitrepo"))
    git(root, "init", "-q", "-b", "main")
    write(root, {"hello.yml": HELLO, "inventory.ini": "[web]\nlocalhost\n",
                 "inventories/second.yml": "all:\n  hosts:\n    h1: {}\n",
                 "roles/README.md": "not a playbook\n"})
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    git(root, "tag", "v1")
    first = git(root, "rev-parse", "HEAD")
    git(root, "checkout", "-q", "-b", "feature")
    write(root, {"feature.yml": HELLO})
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "feature", date="2024-01-02T00:00:00Z")
    feature = git(root, "rev-parse", "HEAD")
    git(root, "checkout", "-q", "main")
    return {"path": root, "url": "file://" + root, "first": first, "feature": feature}


@pytest.fixture(scope="module")
def org(api):
    return api.create("organizations/", name="scm-org")


def wait_update(api, update_id, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        update = api.get("project_updates/%d/" % update_id).json()
        if update["status"] in FINISHED:
            return update
        time.sleep(0.2)
    raise AssertionError("update %d did not finish" % update_id)


def current_update_id(project):
    return int(project["related"]["current_update"].rstrip("/").split("/")[-1])


def stdout(api, update_id):
    return api.get("project_updates/%d/stdout/?format=txt" % update_id,
                   headers={"Accept": "*/*"}).text


def test_create_starts_an_update_that_clones(api, org, repo, sim):
    project = api.create("projects/", name="scm-main", organization=org["id"], scm_type="git",
                         scm_url=repo["url"], scm_branch="main")
    assert project["status"] == "pending" and project["scm_revision"] == ""
    assert project["local_path"] == "_%d__scm_main" % project["id"]
    update = wait_update(api, current_update_id(project))
    assert update["status"] == "successful" and update["scm_revision"] == repo["first"]
    assert update["launch_type"] == "manual" and update["job_type"] == "check"
    assert "Repository Version %s" % repo["first"] in stdout(api, update["id"])
    project = api.get("projects/%d/" % project["id"]).json()
    assert project["status"] == "successful" and project["scm_revision"] == repo["first"]
    assert project["related"]["last_update"].endswith("/project_updates/%d/" % update["id"])
    assert "current_update" not in project["related"]
    checkout = os.path.join(sim.workdir, "projects", project["local_path"])
    assert os.path.isfile(os.path.join(checkout, "hello.yml"))
    assert api.get("projects/%d/playbooks/" % project["id"]).json() == [
        "hello.yml", "inventories/second.yml"]
    # As recorded from AWX: a YAML inventory that mentions hosts counts as a playbook.
    assert api.get("projects/%d/inventories/" % project["id"]).json() == ["inventory.ini"]
    listed = api.get("projects/%d/project_updates/" % project["id"]).json()
    assert [u["id"] for u in listed["results"]] == [update["id"]]


def test_manual_update_patch_branch_and_failures(api, org, repo):
    project = api.create("projects/", name="scm-branch", organization=org["id"], scm_type="git",
                         scm_url=repo["path"])         # a local path works like file://
    wait_update(api, current_update_id(project))
    assert api.get("projects/%d/update/" % project["id"]).json() == {"can_update": True}
    response = api.post("projects/%d/update/" % project["id"], json={})
    assert response.status_code == 202
    body = response.json()
    assert response.headers["Location"] == "/api/v2/project_updates/%d/" % body["id"]
    assert body["project_update"] == body["id"] and body["status"] == "pending"
    assert wait_update(api, body["id"])["status"] == "successful"

    patched = api.patch("projects/%d/" % project["id"], json={"scm_branch": "feature"}).json()
    assert patched["status"] == "pending"
    update = wait_update(api, current_update_id(patched))
    assert update["scm_revision"] == repo["feature"]
    assert "feature.yml" in api.get("projects/%d/playbooks/" % project["id"]).json()

    # A tag and a commit id are versions too.
    for version, expected in (("v1", repo["first"]), (repo["feature"], repo["feature"])):
        patched = api.patch("projects/%d/" % project["id"], json={"scm_branch": version}).json()
        assert wait_update(api, current_update_id(patched))["scm_revision"] == expected

    # A change that is no SCM change starts nothing.
    same = api.patch("projects/%d/" % project["id"], json={"description": "d"}).json()
    assert "current_update" not in same["related"]

    patched = api.patch("projects/%d/" % project["id"], json={"scm_branch": "no-such-branch"}).json()
    failed = wait_update(api, current_update_id(patched))
    assert failed["status"] == "failed" and failed["failed"] is True
    assert "pathspec 'no-such-branch' did not match" in stdout(api, failed["id"])
    project = api.get("projects/%d/" % project["id"]).json()
    assert project["status"] == "failed" and project["last_update_failed"] is True


def test_bad_url_fails_with_gits_message(api, org, repo):
    project = api.create("projects/", name="scm-bad", organization=org["id"], scm_type="git",
                         scm_url=repo["url"] + "-missing")
    update = wait_update(api, current_update_id(project))
    assert update["status"] == "failed"
    text = stdout(api, update["id"])
    assert "does not appear to be a git repository" in text and "fatal: [localhost]: FAILED!" in text
    response = api.post("projects/", json={"name": "scm-nourl", "organization": org["id"],
                                           "scm_type": "git"})
    assert response.json() == {"scm_url": ["SCM URL is required."]}


def test_clean_and_delete_on_update(api, org, repo, sim):
    project = api.create("projects/", name="scm-clean", organization=org["id"], scm_type="git",
                         scm_url=repo["url"], scm_clean=True)
    wait_update(api, current_update_id(project))
    checkout = os.path.join(sim.workdir, "projects", project["local_path"])
    with open(os.path.join(checkout, "stray.txt"), "w") as handle:
        handle.write("left behind")
    with open(os.path.join(checkout, "hello.yml"), "a") as handle:
        handle.write("# local edit\n")
    update = api.post("projects/%d/update/" % project["id"], json={}).json()
    assert wait_update(api, update["id"])["status"] == "successful"
    assert not os.path.exists(os.path.join(checkout, "stray.txt"))
    with open(os.path.join(checkout, "hello.yml")) as handle:
        assert "local edit" not in handle.read()

    patched = api.patch("projects/%d/" % project["id"], json={"scm_clean": False}).json()
    wait_update(api, current_update_id(patched))
    patched = api.patch("projects/%d/" % project["id"], json={"scm_delete_on_update": True}).json()
    wait_update(api, current_update_id(patched))
    marker = os.path.join(checkout, ".git", "awxsim-marker")
    with open(marker, "w") as handle:
        handle.write("x")
    update = api.post("projects/%d/update/" % project["id"], json={}).json()
    assert wait_update(api, update["id"])["status"] == "successful"
    assert not os.path.exists(marker)        # the checkout was made afresh


def test_refspec_fetches_other_refs(api, org, repo):
    git(repo["path"], "update-ref", "refs/pull/1/head", repo["feature"])
    project = api.create("projects/", name="scm-refspec", organization=org["id"], scm_type="git",
                         scm_url=repo["url"], scm_refspec="refs/pull/*:refs/remotes/origin/pull/*",
                         scm_branch="refs/remotes/origin/pull/1/head")
    update = wait_update(api, current_update_id(project))
    assert update["status"] == "successful", stdout(api, update["id"])
    assert update["scm_revision"] == repo["feature"]


def test_copy_delete_and_cancel(api, org, repo):
    project = api.create("projects/", name="scm-copy-src", organization=org["id"], scm_type="git",
                         scm_url=repo["url"])
    assert api.get("projects/%d/copy/" % project["id"]).json() == {"can_copy": True}
    assert api.post("projects/%d/copy/" % project["id"], json={}).json() == {
        "name": ["This field is required."]}
    copies = [api.post("projects/%d/copy/" % project["id"], json={"name": "scm-copy"})
              for _attempt in range(2)]
    assert [c.status_code for c in copies] == [201, 201]      # AWX lets a copy reuse a name
    first, second = (c.json() for c in copies)
    assert first["local_path"] != second["local_path"] != project["local_path"]
    assert first["scm_url"] == repo["url"] and first["status"] == "pending"
    response = api.post("projects/", json={"name": "scm-copy-src", "organization": org["id"],
                                           "scm_type": "git", "scm_url": repo["url"]})
    assert response.json() == {"__all__": [
        "Project with this (name, organization) combination already exists."]}

    # Deleting while an update is active is 409, as recorded.
    update_id = current_update_id(second)
    response = api.delete("projects/%d/" % second["id"])
    if api.get("project_updates/%d/" % update_id).json()["status"] not in FINISHED:
        assert response.status_code == 409
        assert response.json() == {"active_jobs": [{"id": update_id, "type": "project_update"}],
                                   "error": "Resource is being used by running jobs."}
        wait_update(api, update_id)
        response = api.delete("projects/%d/" % second["id"])
    assert response.status_code == 204
    assert api.get("project_updates/?project=%d" % second["id"]).json()["count"] == 0

    finished = wait_update(api, current_update_id(first))
    assert api.post("project_updates/%d/cancel/" % finished["id"], json={}).status_code == 405
    assert api.get("project_updates/%d/cancel/" % finished["id"]).json() == {"can_cancel": False}


def test_job_runs_from_checkout_with_update_on_launch(api, org, repo):
    inv = api.create("inventories/", name="scm-inv", organization=org["id"],
                     variables="ansible_connection: local")
    api.create("hosts/", name="localhost", inventory=inv["id"])
    project = api.create("projects/", name="scm-onlaunch", organization=org["id"], scm_type="git",
                         scm_url=repo["url"], scm_update_on_launch=True)
    wait_update(api, current_update_id(project))
    jt = api.create("job_templates/", name="scm-jt", project=project["id"], inventory=inv["id"],
                    playbook="hello.yml")
    job = api.post("job_templates/%d/launch/" % jt["id"], json={}).json()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job = api.get("jobs/%d/" % job["id"]).json()
        if job["status"] in FINISHED:
            break
        time.sleep(0.3)
    assert job["status"] == "successful", job["job_explanation"]
    assert job["scm_revision"] == repo["first"]
    out = api.get("jobs/%d/stdout/?format=txt" % job["id"], headers={"Accept": "*/*"}).text
    assert "hello from the git checkout" in out
    updates = api.get("projects/%d/project_updates/" % project["id"]).json()["results"]
    assert [u["launch_type"] for u in updates] == ["manual", "dependency"]

    # The repository moves away: the dependency update fails, and so does the job.
    api.patch("projects/%d/" % project["id"], json={"scm_url": repo["url"] + "-gone"})
    time.sleep(0.5)
    job = api.post("job_templates/%d/launch/" % jt["id"], json={}).json()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job = api.get("jobs/%d/" % job["id"]).json()
        if job["status"] in FINISHED:
            break
        time.sleep(0.3)
    assert job["status"] == "failed"
    assert job["job_explanation"].startswith('Previous Task Failed: {"job_type": "project_update"')
