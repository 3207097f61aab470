from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('requirements_specs', '0005_move_action_items'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='actionplantask',
            name='source_assessment_item',
        ),
        migrations.RemoveField(
            model_name='actionplantask',
            name='source_follow_up',
        ),
        migrations.RemoveField(
            model_name='actionplantask',
            name='source_opportunity_item',
        ),
        migrations.RemoveField(
            model_name='historicalactionplantask',
            name='source_assessment_item',
        ),
        migrations.RemoveField(
            model_name='historicalactionplantask',
            name='source_follow_up',
        ),
        migrations.RemoveField(
            model_name='historicalactionplantask',
            name='source_opportunity_item',
        ),
    ]
