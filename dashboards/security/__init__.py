"""The web app's defences: the signed session cookie (``session``), CSRF tokens (``csrf``), security
headers (``headers``), who is asking (``identity``: session, API token or trusted proxy header) and
safe redirects (``redirects``)."""
