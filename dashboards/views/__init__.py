"""View models: what each page shows, computed in Python from the accounts database or the
warehouse, so that templates only display. One module per page, plus ``layout`` (what every page's
frame shows) and ``nav`` (the header's links)."""
