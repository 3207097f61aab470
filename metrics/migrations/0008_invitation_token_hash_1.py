# Survey links: the token is kept only as its SHA-256, with an expiry date (1 of 3: the new fields).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('metrics', '0007_indexes_for_filters'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsurveyinvitation',
            name='token_expires_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='surveyinvitation',
            name='token_expires_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='surveyinvitation',
            name='token_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True),
        ),
    ]
