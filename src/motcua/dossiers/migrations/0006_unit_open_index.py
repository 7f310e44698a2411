from django.db import migrations, models


class Migration(migrations.Migration):
    """A small covering index for the officials' work queues and their counts (queues.py): the unit's
    open and processed dossiers only, with every column the queues filter and sort on (on PostgreSQL;
    SQLite builds it without the included columns)."""

    dependencies = [
        ("dossiers", "0005_protect_catalogue"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("status__in", [1, 2, 4, 5, 6, 9])),
                fields=["unit", "status", "due_at"],
                include=("submitted_at", "step", "assignee", "id"),
                name="dossier_unit_open",
            ),
        ),
    ]
