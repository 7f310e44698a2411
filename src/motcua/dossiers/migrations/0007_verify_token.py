import secrets

from django.db import migrations, models


def tokens_for_signed_results(apps, schema_editor):
    """Results signed before: a token each, so that their verification page (linked from the dossier)
    is reachable again; the code-only link printed on them no longer answers."""
    Dossier = apps.get_model("dossiers", "Dossier")
    for dossier in Dossier.objects.filter(result_signed_at__isnull=False, verify_token="").only("pk"):
        Dossier.objects.filter(pk=dossier.pk).update(verify_token=secrets.token_urlsafe(16))


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0006_unit_open_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="verify_token",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.RunPython(tokens_for_signed_results, migrations.RunPython.noop),
    ]
