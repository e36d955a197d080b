"""The registry starts from the records: each card number a record holds becomes that member's
active card, issued (and taken as handed) on the record's issue date. One INSERT … SELECT, so a
national database is filled in one statement."""

from django.db import migrations


def cards_from_records(apps, schema_editor):
    card = apps.get_model("procedures", "PartyCard")
    member = apps.get_model("members", "Member")
    quote = schema_editor.connection.ops.quote_name
    cards, members = quote(card._meta.db_table), quote(member._meta.db_table)
    schema_editor.execute(
        f"INSERT INTO {cards} (member_id, number, state, issued_on, handed_on, void_reason, "
        "end_note, reference, handed_note) "
        "SELECT id, party_card_number, 'handed', party_card_issued_date, party_card_issued_date, "
        f"'', '', '', '' FROM {members} "
        "WHERE party_card_number IS NOT NULL AND party_card_number <> ''"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0008_cards_registry"),
        ("members", "0017_badge_index"),
    ]

    operations = [migrations.RunPython(cards_from_records, migrations.RunPython.noop)]
