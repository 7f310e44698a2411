"""PAKN moves out of `dossiers` into its own app: the table `dossiers_feedback` and its rows stay as
they are; this migration only tells Django that the model now belongs here (see dossiers 0008)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("dossiers", "0007_verify_token"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Feedback",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="full name")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                        ("phone", models.CharField(blank=True, max_length=20, verbose_name="phone")),
                        ("subject", models.CharField(max_length=200, verbose_name="subject")),
                        ("body", models.TextField(verbose_name="content")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("answered_at", models.DateTimeField(blank=True, null=True)),
                        ("answer", models.TextField(blank=True)),
                        (
                            "agency",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to="accounts.agency",
                                verbose_name="agency",
                            ),
                        ),
                        (
                            "dossier",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="feedback",
                                to="dossiers.dossier",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at"],
                        "verbose_name": "feedback or petition",
                        "verbose_name_plural": "feedback and petitions",
                        "db_table": "dossiers_feedback",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
