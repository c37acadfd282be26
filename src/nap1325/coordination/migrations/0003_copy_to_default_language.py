"""Copy existing text into the default language's column (<field>_en).

The columns added by 0002_translated_fields start empty; the content written before
translations existed is kept in the original column and copied here, as
django-modeltranslation's ``update_translation_fields`` command would. Rows that already
have a default-language value are left alone, so running it twice changes nothing.
"""

from django.db import migrations
from django.db.models import F, Q

DEFAULT_LANGUAGE = "en"
TRANSLATED = [
    ("WorkingGroup", ("name","mandate",)),
    ("Event", ("title","description",)),
]


def copy_to_default_language(apps, schema_editor):
    for model_name, fields in TRANSLATED:
        model = apps.get_model("coordination", model_name)
        for field in fields:
            column = f"{field}_{DEFAULT_LANGUAGE}"
            model.objects.filter(Q(**{f"{column}__isnull": True}) | Q(**{column: ""})).update(
                **{column: F(field)}
            )


class Migration(migrations.Migration):
    dependencies = [("coordination", "0002_translated_fields")]

    operations = [migrations.RunPython(copy_to_default_language, migrations.RunPython.noop)]
