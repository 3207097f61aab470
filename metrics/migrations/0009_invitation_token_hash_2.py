# Survey links (2 of 3): the links sent already keep working — their tokens are hashed — for
# SURVEY_LINK_DAYS from now; unsent invitations get their token when they are sent.
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def hash_tokens(apps, schema_editor):
    SurveyInvitation = apps.get_model("metrics", "SurveyInvitation")
    expires = timezone.now() + timedelta(days=settings.SURVEY_LINK_DAYS)
    batch = []
    for invitation in SurveyInvitation.objects.filter(sent_at__isnull=False).only("pk", "token").iterator(2000):
        invitation.token_hash = hashlib.sha256(invitation.token.encode()).hexdigest()
        invitation.token_expires_at = expires
        batch.append(invitation)
        if len(batch) == 2000:
            SurveyInvitation.objects.bulk_update(batch, ["token_hash", "token_expires_at"])
            batch = []
    SurveyInvitation.objects.bulk_update(batch, ["token_hash", "token_expires_at"])


class Migration(migrations.Migration):
    dependencies = [("metrics", "0008_invitation_token_hash_1")]
    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop)]
