"""Check-mode scenarios of the credential family (merged into test_check_mode_sends_no_write.SCENARIOS)."""

MACHINE_FIELDS = [
    {"id": "username", "label": "Username", "type": "string"},
    {"id": "password", "label": "Password", "type": "string", "secret": True},
]


def _machine(awx):
    org = awx.add("organizations", name="Default")
    machine = awx.add("credential_types", name="Machine", kind="ssh", managed=True,
                      inputs={"fields": MACHINE_FIELDS})
    return org, machine


def credential_create(awx):
    _machine(awx)
    return {"name": "deploy", "organization": "Default", "credential_type": "Machine",
            "inputs": {"username": "u", "password": "p"}}


def credential_rotate(awx):
    org, machine = _machine(awx)
    awx.add("credentials", name="deploy", organization=org, credential_type=machine,
            inputs={"username": "u", "password": "old"}, description="d")
    return {"name": "deploy", "organization": "Default", "credential_type": "Machine",
            "inputs": {"username": "u", "password": "new"}}


def credential_delete(awx):
    org, machine = _machine(awx)
    awx.add("credentials", name="deploy", organization=org, credential_type=machine)
    return {"name": "deploy", "organization": "Default", "credential_type": "Machine", "state": "absent"}


def credential_type_create(awx):
    return {"name": "Example API", "kind": "cloud",
            "inputs": {"fields": [{"id": "token", "label": "Token", "secret": True}]},
            "injectors": {"env": {"TOKEN": "{{ token }}"}}}


def credential_type_update(awx):
    awx.add("credential_types", name="Example API", kind="cloud", inputs={"fields": []})
    return {"name": "Example API", "injectors": {"env": {"X": "1"}}}


def credential_type_delete(awx):
    awx.add("credential_types", name="Example API", kind="cloud")
    return {"name": "Example API", "state": "absent"}


def credential_input_source_create(awx):
    org, machine = _machine(awx)
    vault = awx.add("credential_types", name="HashiCorp Vault Secret Lookup", kind="external")
    awx.add("credentials", name="deploy", organization=org, credential_type=machine)
    awx.add("credentials", name="vault", organization=org, credential_type=vault)
    return {"input_field_name": "password", "target_credential": "deploy", "source_credential": "vault",
            "metadata": {"secret_path": "/kv/x", "secret_key": "password"}}


def credential_input_source_update(awx):
    org, machine = _machine(awx)
    target = awx.add("credentials", name="deploy", organization=org, credential_type=machine)
    source = awx.add("credentials", name="vault", organization=org, credential_type=machine)
    awx.add("credential_input_sources", input_field_name="password", target_credential=target,
            source_credential=source, metadata={"secret_path": "/kv/x"})
    return {"input_field_name": "password", "target_credential": "deploy",
            "metadata": {"secret_path": "/kv/y"}}


def credential_input_source_delete(awx):
    org, machine = _machine(awx)
    target = awx.add("credentials", name="deploy", organization=org, credential_type=machine)
    awx.add("credential_input_sources", input_field_name="password", target_credential=target)
    return {"input_field_name": "password", "target_credential": "deploy", "state": "absent"}


def execution_environment_create(awx):
    awx.add("organizations", name="Default")
    return {"name": "EE", "image": "quay.io/x/ee:1", "organization": "Default", "pull": "always"}


def execution_environment_update(awx):
    awx.add("execution_environments", name="EE", image="quay.io/x/ee:1", pull="")
    return {"name": "EE", "image": "quay.io/x/ee:2", "pull": "missing"}


def execution_environment_delete(awx):
    awx.add("execution_environments", name="EE", image="quay.io/x/ee:1")
    return {"name": "EE", "state": "absent"}


def label_create(awx):
    awx.add("organizations", name="Default")
    return {"name": "prod", "organization": "Default"}


def label_rename(awx):
    org = awx.add("organizations", name="Default")
    awx.add("labels", name="prod", organization=org)
    return {"name": "prod", "new_name": "production", "organization": "Default"}


CREDENTIAL_SCENARIOS = {
    "credential": [("create", credential_create), ("rotate", credential_rotate),
                   ("delete", credential_delete)],
    "credential_type": [("create", credential_type_create), ("update", credential_type_update),
                        ("delete", credential_type_delete)],
    "credential_input_source": [("create", credential_input_source_create),
                                ("update", credential_input_source_update),
                                ("delete", credential_input_source_delete)],
    "execution_environment": [("create", execution_environment_create),
                              ("update", execution_environment_update),
                              ("delete", execution_environment_delete)],
    "label": [("create", label_create), ("rename", label_rename)],
}
