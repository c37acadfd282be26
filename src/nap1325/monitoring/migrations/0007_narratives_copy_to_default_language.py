"""Copy existing narratives into the default language's column (narrative_en).

The columns added by 0006_translated_narratives start empty; narratives written before
they were translatable are kept in the original column and copied into the English
(``LANGUAGE_CODE``) column, as the earlier ``*_copy_to_default_language`` migrations did
for plan content: the demo's reports are in English, and a plan's first language would be
wrong for them (docs/decisions.md, "Languages"). Rows that already have an English
narrative are left alone, so running it twice changes nothing; empty narratives stay
empty (NULL).
"""

from django.db import migrations
from django.db.models import F, Q

DEFAULT_LANGUAGE = "en"
TRANSLATED = [
    ("AgencyReport", ("narrative",)),
    ("ActionUpdate", ("narrative",)),
]


def copy_to_default_language(apps, schema_editor):
    for model_name, fields in TRANSLATED:
        model = apps.get_model("monitoring", model_name)
        for field in fields:
            column = f"{field}_{DEFAULT_LANGUAGE}"
            model.objects.filter(Q(**{f"{column}__isnull": True}) | Q(**{column: ""})).exclude(
                **{field: ""}
            ).update(**{column: F(field)})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0006_translated_narratives")]

    operations = [migrations.RunPython(copy_to_default_language, migrations.RunPython.noop)]
