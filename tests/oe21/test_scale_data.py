"""`load_scale_data` fills an empty database with a believable large organisation, the same for the
same scale, and refuses a database that holds records it did not make."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Sum

from metrics.models import Complaint, MeasureEntry, SurveyResponse
from oe21.models import Account, Contact, Offering
from opportunities.models import Opportunity, Touch
from opportunities.services import recount_touches
from prioritization.models import Assessment

from ..factories import AccountFactory

pytestmark = pytest.mark.django_db


def _load(scale="0.01"):
    out = io.StringIO()
    call_command("load_scale_data", "--scale", scale, stdout=out)
    return out.getvalue()


def test_a_hundredth_of_the_organisation():
    assert "Scale data loaded (scale 0.01)" in _load()
    # 10,000 accounts × 0.01; three contacts each; 1,000 opportunities; 200 assessments
    assert Account.objects.count() == 100 and Contact.objects.count() == 300
    assert Offering.objects.count() == 20  # at least 20, so that accounts × offerings has room
    assert Opportunity.objects.count() == 1000 and Assessment.objects.count() == 200
    assert Complaint.objects.count() == 200 and SurveyResponse.objects.count() == 50
    # about ten touches per opportunity; every count on the opportunity agrees with the log
    assert 8_000 <= Touch.objects.count() <= 12_000
    stored = Opportunity.objects.aggregate(out=Sum("n_out"), responses=Sum("n_in"))
    logged = dict(Touch.objects.values_list("direction").annotate(n=Count("id")))
    assert (stored["out"], stored["responses"]) == (logged["out"], logged["in"])
    before = sorted(Opportunity.objects.values_list("pk", "n_email_out", "n_phone_in", "n_out", "n_in"))
    recount_touches()
    assert sorted(Opportunity.objects.values_list("pk", "n_email_out", "n_phone_in", "n_out", "n_in")) == before
    # 50 typed measures × 0.01 = 1 measure, over 36 months
    assert MeasureEntry.objects.filter(measure__name__startswith="Scale measure").count() == 36


def test_the_same_scale_gives_the_same_data():
    def fingerprint():
        return (list(Opportunity.objects.order_by("account__name", "offering__name")
                     .values_list("account__name", "offering__name", "status", "n_out", "n_in")),
                list(Touch.objects.order_by("opportunity__account__name", "opportunity__offering__name",
                                            "occurred_on", "channel", "direction")
                     .values_list("occurred_on", "channel", "direction")[:500]))

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        _load()
        first = fingerprint()
        raise Undo  # roll the first load back, then load again
    assert not Account.objects.exists()
    _load()
    assert fingerprint() == first


def test_it_refuses_a_database_with_other_records_and_writes_nothing():
    AccountFactory(name="Lakeside Clinic")
    with pytest.raises(CommandError, match="records the scale loader did not make"):
        _load()
    assert Account.objects.count() == 1 and not Offering.objects.exists()


def test_it_refuses_to_load_twice():
    _load()
    with pytest.raises(CommandError, match="holds the scale data already"):
        _load()
    assert Account.objects.count() == 100


@pytest.mark.parametrize("scale", ["0", "9"])
def test_a_scale_out_of_range_is_refused(scale):
    with pytest.raises(CommandError, match="between 0.001 and 5"):
        _load(scale)
    assert not Account.objects.exists()


def test_it_loads_into_sqlite_too(tmp_path):
    """The embedded default (SQLite) takes the small scale as well: migrate and load in a fresh file."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'scale.sqlite3'}", "DJANGO_DEBUG": "1"}
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["load_scale_data", "--scale", "0.01"]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=root, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
    assert "Scale data loaded (scale 0.01)" in done.stdout and "100 accounts" in done.stdout
