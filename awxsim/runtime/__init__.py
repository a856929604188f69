"""What runs behind the API: playbook execution for jobs (``playbooks``) and SCM project updates
(``scm``)."""
