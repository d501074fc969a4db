"""A whole coalition in one archive: exported, imported into another instance, or
de-identified for researchers.

The archive is a ZIP file:

* ``manifest.json``: the format name and schema version, when and from which migrations it
  was written, the coalition's profile, whether it is de-identified, and one entry per
  table with its row count;
* ``data/<app>.<Model>.json``: the rows of every table the coalition owns (every model
  that subclasses ``TenantModel``, in every app, found at run time, so an app added later
  is covered without a line here), each row with an archive-local ``id`` (1, 2, … in the
  table's order), links to the coalition's other rows as those local ids, and links to
  people as their e-mail addresses (listed in ``data/people.json``);
* ``data/<app>.<Model>.csv``: the same rows as CSV, for a person to open;
* ``files/…``: the contents of uploaded files.

Importing creates a *new* coalition from the archive, in one transaction: every row gets a
new id, links are re-pointed, people are matched by e-mail address (or created without a
password, to be invited), and nothing of the instance's other coalitions is touched.
Export, import and export again give the same files apart from the coalition's short
name, the time of export and values that must be unique in the whole instance (secret link
fingerprints), which are drawn anew when the instance already holds them.

A **de-identified** archive keeps the structure and the numbers and removes or coarsens
what points at a person or a place: people and their e-mail addresses, names and titles
(replaced by "Actor 3"-style labels), free text, contact details, files, the activity log,
full dates (kept as their year) and places below the state (kept as their state). It
cannot be imported.
"""

from __future__ import annotations

import base64
import datetime
import io
import json
import re
import secrets
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from graphlib import CycleError, TopologicalSorter
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_scopes import scope

from commonground.accounts.models import User
from commonground.coalitions.models import AuditEvent, Coalition, TenantModel
from commonground.lib.tabular_core import write_csv

FORMAT = "commonground-coalition"
SCHEMA_VERSION = 1
MAX_ARCHIVE_BYTES = 2 * 1024**3  # uncompressed, all members together
MAX_MEMBER_BYTES = 512 * 1024**2

Progress = Callable[[float, str], None]

# Fields of the coalition's own row carried in the manifest (the rest are ids and times).
PROFILE_FIELDS = (
    "name",
    "mission",
    "geographic_scale",
    "population_type",
    "policy_context",
    "focus_areas",
    "year_founded",
    "initiatives",
)

# De-identification: what a field's name says about its content.
_NAME_FIELDS = re.compile(r"(^|_)(name|title|organization|label|holder|recipient)$")
_PERSONAL_FIELDS = re.compile(
    r"(email|phone|contact|address|street|url|website|token|hash|key|ip|user_agent|photo|"
    r"note|notes|comment|comments|text|description|summary|narrative|minutes|agenda|"
    r"rationale|dissent|quote|excerpt|story|reason|purpose|answer)"
)
_PLACE_FIELDS = re.compile(r"(fips|geoid|place|county|neighborhood|tract|zip|location)")
_FIPS_BELOW_STATE = re.compile(r"^(\d{5}|\d{11}|\d{12}|\d{15})$")
_CODE = re.compile(r"^[A-Za-z0-9_.:/-]{1,40}$")


class ArchiveError(ValueError):
    """An archive that cannot be read or imported; the message says why."""


class _SkipRow(Exception):
    """A row that points at an instance-wide record this instance does not have."""


# --------------------------------------------------------------------------- the models


def tenant_models() -> list[type[models.Model]]:
    """Every concrete tenant model, in an order where each row's required links come first."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, TenantModel)
        and not model._meta.proxy
        and not getattr(model, "archive_exclude", False)
    ]
    graph: dict[type[models.Model], set[type[models.Model]]] = {model: set() for model in found}
    for model in found:
        for fk in _tenant_links(model):
            target = fk.related_model
            if target is not model and target in graph and not fk.null:
                graph[model].add(target)
    try:
        ordered: list[Any] = list(TopologicalSorter(graph).static_order())
    except CycleError as error:  # pragma: no cover - a schema error, not a data error
        raise ArchiveError(f"Required links form a cycle: {error.args[1]}") from error
    # A stable order among equals: by label, keeping the dependency order.
    rank = {model: i for i, model in enumerate(ordered)}
    depth: dict[type[models.Model], int] = {}
    for model in ordered:
        depth[model] = 1 + max((depth[t] for t in graph[model]), default=0)
    return sorted(ordered, key=lambda m: (depth[m], m._meta.label, rank[m]))


def _tenant_links(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey)
        and f.name != "coalition"
        and isinstance(f.related_model, type)
        and issubclass(f.related_model, TenantModel)
    ]


def _label(model: type[models.Model]) -> str:
    return model._meta.label


# ------------------------------------------------------------------------------ export


@dataclass
class _Export:
    coalition: Coalition
    deidentify: bool
    local: dict[str, dict[Any, int]] = field(default_factory=dict)  # label -> pk -> local id
    people: dict[int, dict[str, str]] = field(default_factory=dict)  # user pk -> person
    files: dict[str, bytes] = field(default_factory=dict)


def export_coalition(
    coalition: Coalition, *, deidentify: bool = False, progress: Progress | None = None
) -> bytes:
    """The coalition's archive, as the bytes of a ZIP file."""
    report = progress or (lambda share, what: None)
    state = _Export(coalition=coalition, deidentify=deidentify)
    chosen = [
        m for m in tenant_models() if not (deidentify and getattr(m, "archive_private", False))
    ]
    if deidentify:
        chosen = [m for m in chosen if m is not AuditEvent]
    tables: dict[str, list[dict[str, Any]]] = {}
    with scope(coalition=coalition):
        # Rows with a counter for a key keep its order. Rows with a random key (anonymous
        # answers: a counter would tell the order of answering) are put in the order of
        # their content, so two exports of the same data are the same file.
        counted = [m for m in chosen if isinstance(m._meta.pk, models.AutoField)]
        for model in counted:
            pks = (
                model._default_manager.filter(coalition=coalition)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            state.local[_label(model)] = {pk: i for i, pk in enumerate(pks, start=1)}
        for index, model in enumerate(chosen):
            report(index / max(len(chosen), 1), _label(model))
            rows = model._default_manager.filter(coalition=coalition).order_by("pk")
            m2m = [f for f in model._meta.many_to_many if isinstance(f, models.ManyToManyField)]
            if m2m:
                rows = rows.prefetch_related(*(f.name for f in m2m))
            if model in counted:
                tables[_label(model)] = [
                    _export_row(state, model, obj) for obj in rows.iterator(2000)
                ]
            else:
                tables[_label(model)] = _by_content(state, model, list(rows))
    manifest = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": timezone.now().year
        if deidentify
        else timezone.now().isoformat(timespec="seconds"),
        "deidentified": deidentify,
        "migrations": _latest_migrations(),
        "coalition": _profile(coalition, deidentify),
        "tables": {label: len(rows) for label, rows in tables.items()},
        "people": 0 if deidentify else len(state.people),
        "files": len(state.files),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _dumps(manifest))
        if not deidentify:
            people = sorted(state.people.values(), key=lambda p: p["email"])
            archive.writestr("data/people.json", _dumps(people))
        for label, table in tables.items():
            archive.writestr(f"data/{label}.json", _dumps(table))
            archive.writestr(f"data/{label}.csv", _csv(table))
        for name, content in sorted(state.files.items()):
            archive.writestr(name, content)
    report(1.0, "done")
    return buffer.getvalue()


def _by_content(
    state: _Export, model: type[models.Model], objects: list[models.Model]
) -> list[dict[str, Any]]:
    label = _label(model)
    state.local[label] = {obj.pk: 0 for obj in objects}
    drawn = [(_dumps(_export_row(state, model, obj, local_id=0)), obj) for obj in objects]
    drawn.sort(key=lambda pair: pair[0])
    state.local[label] = {obj.pk: i for i, (_, obj) in enumerate(drawn, start=1)}
    return [_export_row(state, model, obj) for _, obj in drawn]


def _export_row(
    state: _Export, model: type[models.Model], obj: models.Model, local_id: int | None = None
) -> dict[str, Any]:
    label = _label(model)
    row: dict[str, Any] = {"id": state.local[label][obj.pk] if local_id is None else local_id}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name == "coalition":
            continue
        if isinstance(f, models.ForeignKey):
            row[f.name] = _export_link(state, f, getattr(obj, f.attname))
            continue
        value = f.value_from_object(obj)
        if isinstance(f, models.FileField):
            row[f.name] = _export_file(state, label, row["id"], f, value)
            continue
        if isinstance(f, models.BinaryField):
            value = base64.b64encode(bytes(value or b"")).decode("ascii")
        row[f.name] = _deidentify(f, value, label, row["id"]) if state.deidentify else value
    for f in model._meta.many_to_many:
        if not isinstance(f, models.ManyToManyField):
            continue
        targets = [t.pk for t in getattr(obj, f.name).all()]
        row[f.name] = sorted(
            v for v in (_export_link(state, f, pk) for pk in targets) if v is not None
        )
    return row


def _export_link(state: _Export, f: Any, pk: Any) -> Any:
    if pk is None:
        return None
    target = f.related_model
    if issubclass(target, TenantModel):
        return state.local.get(_label(target), {}).get(pk)
    if issubclass(target, User):
        if state.deidentify:
            return None
        if pk not in state.people:
            user = User.objects.get(pk=pk)
            state.people[pk] = {"email": user.email, "display_name": user.display_name}
        return state.people[pk]["email"]
    # A record of the instance rather than of the coalition (a funder that coalitions
    # share with): carried by its short name, found again by it on import.
    if any(f.name == "slug" for f in target._meta.fields):
        slug = target._default_manager.filter(pk=pk).values_list("slug", flat=True).first()
        return {"slug": slug} if slug else None
    return None


def _export_file(state: _Export, label: str, local_id: int, f: Any, value: Any) -> str | None:
    if state.deidentify or not value:
        return None
    name = f"files/{label}/{local_id}/{f.name}/{value.name.rsplit('/', 1)[-1]}"
    with value.open("rb") as handle:
        state.files[name] = handle.read()
    return name


def _deidentify(f: models.Field[Any, Any], value: Any, label: str, local_id: int) -> Any:
    name = f.name.lower()
    if value is None or value == "":
        return value
    if isinstance(f, models.EmailField | models.URLField | models.FileField):
        return None
    if isinstance(f, models.DateTimeField | models.DateField):
        return value.year
    if isinstance(f, models.JSONField):
        return _scrub(value)
    if isinstance(f, models.TextField | models.BinaryField):
        return None
    if isinstance(f, models.CharField):
        if f.choices:
            return value
        text = str(value)
        if _FIPS_BELOW_STATE.match(text):  # a county, tract or block group: its state
            return text[:2]
        if _PLACE_FIELDS.search(name):
            return text[:2] if text.isdigit() and len(text) >= 5 else None
        if _NAME_FIELDS.search(name):
            return f"{label.split('.')[-1]} {local_id}"
        if _PERSONAL_FIELDS.search(name) or not _CODE.match(str(value)):
            return None
    return value


def _scrub(value: Any) -> Any:
    """Keep a JSON value's numbers, booleans and short codes; drop any other text."""
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str):
        return (
            value
            if _CODE.match(value) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value)
            else None
        )
    return value


def _profile(coalition: Coalition, deidentify: bool) -> dict[str, Any]:
    profile = {name: getattr(coalition, name) for name in PROFILE_FIELDS}
    profile["slug"] = coalition.slug
    if deidentify:
        profile.update(
            name="Coalition", slug="coalition", mission="", policy_context="", initiatives=""
        )
    return profile


def _latest_migrations() -> dict[str, str]:
    ours = {c.label for c in apps.get_app_configs() if c.name.startswith("commonground.")}
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        if app in ours:
            latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's stops at the
    millisecond), so a restored row is the row that was exported."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def _dumps(value: Any) -> str:
    return json.dumps(value, cls=_Encoder, ensure_ascii=False, indent=1)


def _csv(rows: list[dict[str, Any]]) -> bytes:
    """The rows as CSV, through the one safe writer (no cell starts a formula)."""
    if not rows:
        return b""
    header = list(rows[0])
    return write_csv(
        header,
        (
            [
                json.dumps(v, cls=_Encoder, ensure_ascii=False) if isinstance(v, dict | list) else v
                for v in row.values()
            ]
            for row in rows
        ),
    )


# ------------------------------------------------------------------------------ import


@dataclass(frozen=True)
class ImportSummary:
    coalition: Coalition
    tables: dict[str, int]
    people_created: int
    redrawn: int  # instance-unique values drawn anew


def read_archive(content: bytes) -> tuple[dict[str, Any], zipfile.ZipFile]:
    """Open and check an archive; a bad one raises ArchiveError naming the problem."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise ArchiveError(
            "This file is not a CommonGround archive: it is not a ZIP file."
        ) from error
    total = 0
    for info in archive.infolist():
        if info.filename.startswith("/") or ".." in info.filename.split("/"):
            raise ArchiveError(f"The archive holds an unsafe path: {info.filename}")
        if info.file_size > MAX_MEMBER_BYTES:
            raise ArchiveError(f"{info.filename} is too large ({info.file_size} bytes).")
        total += info.file_size
    if total > MAX_ARCHIVE_BYTES:
        raise ArchiveError("The archive is too large once unpacked.")
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError as error:
        raise ArchiveError("The archive has no manifest.json.") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ArchiveError(f"manifest.json is not valid JSON: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("This file is not a CommonGround coalition archive (wrong format).")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise ArchiveError(
            f"The archive's schema version {manifest.get('schema_version')!r} is not "
            f"{SCHEMA_VERSION}, the one this version reads."
        )
    if manifest.get("deidentified"):
        raise ArchiveError("A de-identified archive is for analysis; it cannot be imported.")
    here = _latest_migrations()
    newer = sorted(
        app for app, name in (manifest.get("migrations") or {}).items() if name > here.get(app, "")
    )
    if newer:
        raise ArchiveError(
            "The archive comes from a newer version of CommonGround (its "
            f"{', '.join(newer)} data has changes this instance lacks): upgrade first."
        )
    return manifest, archive


def import_coalition(
    content: bytes,
    *,
    slug: str | None = None,
    name: str | None = None,
    actor: User | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Create a new coalition from an archive, all or nothing."""
    report = progress or (lambda share, what: None)
    manifest, archive = read_archive(content)
    profile = manifest.get("coalition") or {}
    wanted = slug or str(profile.get("slug") or "imported")
    if Coalition.objects.filter(slug=wanted).exists():
        if slug:
            raise ArchiveError(f"The short name {slug!r} is taken; choose another with --slug.")
        wanted = f"{wanted[:50]}-{secrets.token_hex(3)}"
    models_by_label = {_label(m): m for m in tenant_models()}
    unknown = sorted(set(manifest.get("tables", {})) - set(models_by_label))
    if unknown:
        raise ArchiveError(
            f"The archive holds tables this instance does not know: {', '.join(unknown)}"
        )
    with transaction.atomic():
        coalition = Coalition(slug=wanted)
        for key in PROFILE_FIELDS:
            if key in profile:
                setattr(coalition, key, profile[key])
        if name:
            coalition.name = name
        try:
            coalition.full_clean()
        except ValidationError as error:
            raise ArchiveError(f"The coalition's profile is not valid: {error}") from error
        coalition.save()
        people, created = _people(archive)
        state = _Import(coalition=coalition, people=people, archive=archive)
        labels = [label for label in models_by_label if label in manifest.get("tables", {})]
        with scope(coalition=coalition):
            for index, label in enumerate(labels):
                report(index / max(len(labels), 1), label)
                _import_table(state, models_by_label[label], _read_rows(archive, label))
            for model, local_id, fk, target_local in state.deferred:
                target = state.new_pk[_label(fk.related_model)].get(target_local)
                model._base_manager.filter(pk=state.new_pk[_label(model)][local_id]).update(
                    **{fk.attname: target}
                )
            for f, label, links in state.m2m:
                _link_many(state, f, label, links)
            from commonground.coalitions.services import record_audit

            record_audit(
                coalition=coalition,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                obj=coalition,
                summary=f"Coalition imported from an archive of {profile.get('slug', '?')}",
                event="coalitions.imported",
                params={"source": str(profile.get("slug", "")), "tables": len(labels)},
            )
    report(1.0, "done")
    return ImportSummary(
        coalition=coalition,
        tables={label: len(state.new_pk.get(label, {})) for label in labels},
        people_created=created,
        redrawn=state.redrawn,
    )


@dataclass
class _Import:
    coalition: Coalition
    people: dict[str, int]
    archive: zipfile.ZipFile
    new_pk: dict[str, dict[int, Any]] = field(default_factory=dict)
    deferred: list[tuple[type[models.Model], int, Any, int]] = field(default_factory=list)
    m2m: list[tuple[Any, str, list[tuple[int, list[Any]]]]] = field(default_factory=list)
    redrawn: int = 0
    skipped: int = 0


def _people(archive: zipfile.ZipFile) -> tuple[dict[str, int], int]:
    try:
        listed = json.loads(archive.read("data/people.json"))
    except KeyError:
        listed = []
    people: dict[str, int] = {}
    created = 0
    for person in listed:
        email = str(person.get("email", "")).strip()
        if not email:
            continue
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create(
                email=email,
                display_name=str(person.get("display_name", ""))[:150],
                password=make_password(None),
            )
            created += 1
        people[email.lower()] = user.pk
    return people, created


def _read_rows(archive: zipfile.ZipFile, label: str) -> list[dict[str, Any]]:
    try:
        rows = json.loads(archive.read(f"data/{label}.json"))
    except KeyError as error:
        raise ArchiveError(f"The archive lists {label} but has no data/{label}.json.") from error
    except ValueError as error:
        raise ArchiveError(f"data/{label}.json is not valid JSON: {error}") from error
    if not isinstance(rows, list) or not all(
        isinstance(r, dict) and isinstance(r.get("id"), int) for r in rows
    ):
        raise ArchiveError(
            f"data/{label}.json must be a list of rows, each with a whole-number id."
        )
    return rows


def _import_table(state: _Import, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    label = _label(model)
    known = {f.name: f for f in model._meta.concrete_fields}
    automatic = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    objects = []
    kept: list[dict[str, Any]] = []
    for row in rows:
        extra = sorted(set(row) - set(known) - {"id"} - {f.name for f in model._meta.many_to_many})
        if extra:
            raise ArchiveError(f"{label} row {row['id']}: unknown fields {', '.join(extra)}.")
        obj = model(coalition=state.coalition)
        try:
            for key, value in row.items():
                f = known.get(key)
                if key == "id" or f is None:
                    continue
                try:
                    setattr(obj, f.attname, _import_value(state, model, row["id"], f, value))
                except (ValidationError, ValueError, TypeError) as error:
                    raise ArchiveError(f"{label} row {row['id']}, {key}: {error}") from error
        except _SkipRow:
            state.skipped += 1
            continue
        state.redrawn += _redraw_unique(model, obj)
        objects.append(obj)
        kept.append(row)
    created = model._base_manager.bulk_create(objects, batch_size=500)
    rows = kept
    state.new_pk[label] = {row["id"]: obj.pk for row, obj in zip(rows, created, strict=True)}
    # auto_now and auto_now_add fields were stamped "now" on insert: put the archive's back.
    for row, obj in zip(rows, created, strict=True):
        restore = {
            f.attname: f.to_python(row[f.name]) for f in automatic if row.get(f.name) is not None
        }
        if restore:
            model._base_manager.filter(pk=obj.pk).update(**restore)
    for f in model._meta.many_to_many:
        through_model: Any = getattr(f.remote_field, "through", None)
        if not isinstance(f, models.ManyToManyField) or not through_model._meta.auto_created:
            continue
        # Linked once every table is in: the rows linked to may come later.
        state.m2m.append((f, label, [(row["id"], row.get(f.name) or []) for row in rows]))


def _link_many(state: _Import, f: Any, label: str, links: list[tuple[int, list[Any]]]) -> None:
    through: Any = f.remote_field.through
    source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
    rows = []
    for local_id, values in links:
        source_pk = state.new_pk[label].get(local_id)
        if source_pk is None:
            continue
        for value in values:
            target_pk = _link_target(state, f, value)
            if target_pk is not None:
                rows.append(through(**{f"{source}_id": source_pk, f"{target}_id": target_pk}))
    through.objects.bulk_create(rows, batch_size=1000)


def _import_value(
    state: _Import, model: type[models.Model], local_id: int, f: Any, value: Any
) -> Any:
    if isinstance(f, models.ForeignKey):
        if value is None:
            return None
        target = f.related_model
        if issubclass(target, TenantModel):
            pk = state.new_pk.get(_label(target), {}).get(value)
            if pk is None:  # the target comes later (a link that may be empty): set it at the end
                state.deferred.append((model, local_id, f, value))
            return pk
        if issubclass(target, User):
            return state.people.get(str(value).lower())
        found = None
        if isinstance(value, dict) and value.get("slug"):
            found = (
                target._default_manager.filter(slug=value["slug"])
                .values_list("pk", flat=True)
                .first()
            )
        if found is None and not f.null:
            raise _SkipRow  # e.g. consent to share with a funder this instance does not have
        return found
    if isinstance(f, models.FileField):
        if not value:
            return ""
        try:
            content = state.archive.read(str(value))
        except KeyError as error:
            raise ValidationError(f"the file {value} is missing from the archive") from error
        name = str(value).rsplit("/", 1)[-1]
        return f.storage.save(f"imported/{_label(model)}/{name}", ContentFile(content))
    if isinstance(f, models.BinaryField):
        return base64.b64decode(value or "")
    if isinstance(f, models.JSONField):
        return value
    if isinstance(f, models.DecimalField) and value is not None:
        return Decimal(str(value))
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        parsed = datetime.datetime.fromisoformat(value)
        return parsed
    return f.to_python(value)


def _link_target(state: _Import, f: Any, value: Any) -> Any:
    target = f.related_model
    if issubclass(target, TenantModel):
        return state.new_pk.get(_label(target), {}).get(value)
    if issubclass(target, User):
        return state.people.get(str(value).lower())
    return None


def _redraw_unique(model: type[models.Model], obj: models.Model) -> int:
    """Values unique across the whole instance (link fingerprints, keys) that another
    coalition already holds are drawn anew; the old ones only ever worked there."""
    redrawn = 0
    for f in model._meta.concrete_fields:
        if not f.unique or f.primary_key or isinstance(f, models.ForeignKey):
            continue
        value = getattr(obj, f.attname)
        if value in (None, "") or not model._base_manager.filter(**{f.attname: value}).exists():
            continue
        if isinstance(f, models.UUIDField):
            import uuid

            setattr(obj, f.attname, uuid.uuid4())
        elif isinstance(f, models.CharField):
            setattr(
                obj, f.attname, secrets.token_hex(max(4, (f.max_length or 16) // 2))[: f.max_length]
            )
        else:
            raise ArchiveError(f"{_label(model)}: the value of {f.name} is already used here.")
        redrawn += 1
    return redrawn


def table_rows(content: bytes) -> dict[str, list[dict[str, Any]]]:
    """Every table of an archive, as rows (for comparing two archives)."""
    manifest, archive = read_archive_any(content)
    return {label: json.loads(archive.read(f"data/{label}.json")) for label in manifest["tables"]}


def read_archive_any(content: bytes) -> tuple[dict[str, Any], zipfile.ZipFile]:
    """Open an archive without the import checks (de-identified ones included)."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    return json.loads(archive.read("manifest.json")), archive


def iter_files(content: bytes) -> Iterable[tuple[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    for name in archive.namelist():
        yield name, archive.read(name)
