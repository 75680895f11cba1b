from django.db import migrations, models


def existing_tokens_keep_their_reach(apps, schema_editor):
    # Tokens made before scopes existed could do whatever their owner may: keep them working.
    apps.get_model("api", "ApiToken").objects.update(scopes=["admin", "ingest", "read", "review"])


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(existing_tokens_keep_their_reach, migrations.RunPython.noop),
    ]
