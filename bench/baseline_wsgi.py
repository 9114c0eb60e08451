"""WSGI entry for the benchmark's baseline: config.settings plus bench.urls.

Served by a second gunicorn beside the real one (`make bench`), so the
production URLconf has no benchmark route and no environment switch adds one.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.baseline_settings"
application = get_wsgi_application()
