"""The API resources, one module per family of AWX object kinds."""
