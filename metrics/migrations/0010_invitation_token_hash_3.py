# Survey links (3 of 3): the plain tokens go.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("metrics", "0009_invitation_token_hash_2")]
    operations = [migrations.RemoveField(model_name="surveyinvitation", name="token")]
