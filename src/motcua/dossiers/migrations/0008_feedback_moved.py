"""Feedback (PAKN) now lives in the `feedback` app: removed from this app's state only, so the table
and its rows stay for that app to take over (feedback 0001, 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_verify_token"),
        ("feedback", "0001_initial"),
        ("assistant", "0002_feedback_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Feedback")],
            database_operations=[],
        ),
    ]
