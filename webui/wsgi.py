"""The app as each `clio serve` worker builds it: settings from `CLIO_*` variables (set by
`clio serve` from its options) and the config file they name, then the index opened and its
tables built before the first reader waits for them. `CLIO_ACCESS_LOG=0` turns the access
log (on standard error) off."""

import os

from webui.accesslog import AccessLog
from webui.app import create_app

app = create_app()
if os.environ.get("CLIO_ACCESS_LOG", "1") != "0":
    app.wsgi_app = AccessLog(app.wsgi_app)
app.extensions["clio"].warm()
