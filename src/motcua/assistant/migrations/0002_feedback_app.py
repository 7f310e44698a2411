"""A hand-over now points at the PAKN app's Feedback (same table, so the database is untouched)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assistant", "0001_initial"),
        ("feedback", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="conversation",
                    name="handed_over",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="feedback.feedback",
                        verbose_name="handed to an officer as",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
