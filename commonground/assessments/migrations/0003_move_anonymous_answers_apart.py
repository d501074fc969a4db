"""Move every anonymous round's answers out of the named table, links dropped.

Before this migration an anonymous round's answers sat in ``Response`` beside named
ones, with a sequential id (the order of answering) and a ``respondent`` column.
Each is copied to ``AnonymousResponse`` with only what that table holds (member
type, paper or not, the day, the answers; release 1, since no round could be
reopened before), in a random order under random keys, and the old row is deleted.
The keyed participation hashes move from the round's JSON list to
``Participation`` rows, in sorted order.
"""

import random
import uuid

from django.db import migrations


def move_apart(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Response = apps.get_model("assessments", "Response")
    AnonymousResponse = apps.get_model("assessments", "AnonymousResponse")
    Participation = apps.get_model("assessments", "Participation")
    shuffle = random.SystemRandom().shuffle
    for assessment in Assessment._base_manager.all().iterator():
        markers = sorted(set(assessment.participant_hashes or []))
        Participation._base_manager.bulk_create(
            Participation(coalition_id=assessment.coalition_id, assessment=assessment, marker=m)
            for m in markers
        )
        if not assessment.is_anonymous:
            continue
        rows = list(Response._base_manager.filter(assessment=assessment))
        shuffle(rows)
        AnonymousResponse._base_manager.bulk_create(
            AnonymousResponse(
                id=uuid.uuid4(),
                coalition_id=row.coalition_id,
                assessment=assessment,
                member_type=row.member_type,
                submitted_on=row.submitted_on,
                is_paper=row.is_paper,
                release=1,
                answers=row.answers,
            )
            for row in rows
        )
        Response._base_manager.filter(pk__in=[row.pk for row in rows]).delete()


def move_back(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Response = apps.get_model("assessments", "Response")
    AnonymousResponse = apps.get_model("assessments", "AnonymousResponse")
    Participation = apps.get_model("assessments", "Participation")
    for assessment in Assessment._base_manager.all().iterator():
        assessment.participant_hashes = sorted(
            Participation._base_manager.filter(assessment=assessment).values_list(
                "marker", flat=True
            )
        )
        assessment.save(update_fields=["participant_hashes"])
        rows = list(AnonymousResponse._base_manager.filter(assessment=assessment))
        Response._base_manager.bulk_create(
            Response(
                coalition_id=row.coalition_id,
                assessment=assessment,
                respondent=None,
                member_type=row.member_type,
                submitted_on=row.submitted_on,
                is_paper=row.is_paper,
                release=row.release,
                answers=row.answers,
            )
            for row in rows
        )
    AnonymousResponse._base_manager.all().delete()
    Participation._base_manager.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_answers_apart_releases_and_locks"),
    ]

    operations = [
        migrations.RunPython(move_apart, move_back),
    ]
