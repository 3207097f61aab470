import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oe21.settings")
application = get_wsgi_application()
# Everything loaded so far (Django, pandas, plotly: about a million objects) lives as long as the
# worker: move it out of the collector's reach, so a full collection during a request scans only that
# request's objects (it cost some pages 100 ms at their 95th percentile), and collect less often (a page
# allocates tens of thousands of short-lived objects that reference counting frees anyway).
gc.freeze()
gc.set_threshold(50_000, 20, 20)
