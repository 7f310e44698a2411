"""The PAKN table takes the app's name, once `dossiers` has let go of the model."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("dossiers", "0008_feedback_moved"),
    ]

    operations = [migrations.AlterModelTable(name="feedback", table=None)]
