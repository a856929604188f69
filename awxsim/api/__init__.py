"""The HTTP API: generic resource machinery (resource, protocol, filters, access, auth, routing,
urls) and, in ``awxsim.api.resources``, one module per family of AWX object kinds."""
