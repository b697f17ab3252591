"""Dated history of staff powers, kept by the database itself (ADR 0006).

Role grants, patch assignments and training dates are changed in several places
(the staff accounts page, approvals, the command line, the admin, bulk loads). A
trigger on each live table writes the change into audit_roleheld, audit_patchheld
and audit_trainingheld, whichever way it was made, so the exposure reports can
ask what the access model allowed at the moment of an old event.

What already exists is copied in first: role grants from their granted_at; patches
and training dates as "held since before the history began".

Also: an index for "every event between T1 and T2" (BRIN on PostgreSQL, where rows
arrive in time order and a BRIN index stays a few pages long; B-tree on SQLite).
"""

from django.db import migrations

POSTGRESQL_CREATE = """
CREATE OR REPLACE FUNCTION audit_role_held() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_roleheld (user_id, role, started_at, ended_at)
        VALUES (NEW.user_id, NEW.role, NEW.granted_at, NULL);
        RETURN NEW;
    END IF;
    UPDATE audit_roleheld SET ended_at = clock_timestamp()
    WHERE user_id = OLD.user_id AND role = OLD.role AND ended_at IS NULL;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_role_held AFTER INSERT OR DELETE ON accounts_rolegrant
    FOR EACH ROW EXECUTE FUNCTION audit_role_held();

CREATE OR REPLACE FUNCTION audit_patch_held() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_patchheld (user_id, patch_id, started_at, ended_at)
        VALUES (NEW.user_id, NEW.patch_id, clock_timestamp(), NULL);
        RETURN NEW;
    END IF;
    UPDATE audit_patchheld SET ended_at = clock_timestamp()
    WHERE user_id = OLD.user_id AND patch_id = OLD.patch_id AND ended_at IS NULL;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_patch_held AFTER INSERT OR DELETE ON accounts_user_patches
    FOR EACH ROW EXECUTE FUNCTION audit_patch_held();

CREATE OR REPLACE FUNCTION audit_training_held() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE audit_trainingheld SET ended_at = clock_timestamp()
        WHERE user_id = NEW.id AND ended_at IS NULL;
    END IF;
    INSERT INTO audit_trainingheld (user_id, completed_on, started_at, ended_at)
    VALUES (NEW.id, NEW.training_completed_on, clock_timestamp(), NULL);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_training_held_insert AFTER INSERT ON accounts_user
    FOR EACH ROW WHEN (NEW.kind = 'staff') EXECUTE FUNCTION audit_training_held();
CREATE TRIGGER audit_training_held_update AFTER UPDATE OF training_completed_on ON accounts_user
    FOR EACH ROW WHEN (OLD.training_completed_on IS DISTINCT FROM NEW.training_completed_on)
    EXECUTE FUNCTION audit_training_held();

CREATE INDEX audit_at_brin ON audit_accessevent USING brin (at);
"""
POSTGRESQL_DROP = """
DROP INDEX IF EXISTS audit_at_brin;
DROP TRIGGER IF EXISTS audit_training_held_update ON accounts_user;
DROP TRIGGER IF EXISTS audit_training_held_insert ON accounts_user;
DROP FUNCTION IF EXISTS audit_training_held();
DROP TRIGGER IF EXISTS audit_patch_held ON accounts_user_patches;
DROP FUNCTION IF EXISTS audit_patch_held();
DROP TRIGGER IF EXISTS audit_role_held ON accounts_rolegrant;
DROP FUNCTION IF EXISTS audit_role_held();
"""

# SQLite stores datetimes as UTC text, which compares correctly as text: the triggers
# stamp changes with strftime('%Y-%m-%d %H:%M:%f', 'now') in the same form.
SQLITE_CREATE = [
    """CREATE TRIGGER audit_role_held_insert AFTER INSERT ON accounts_rolegrant BEGIN
        INSERT INTO audit_roleheld (user_id, role, started_at, ended_at)
        VALUES (NEW.user_id, NEW.role, NEW.granted_at, NULL);
    END""",
    """CREATE TRIGGER audit_role_held_delete AFTER DELETE ON accounts_rolegrant BEGIN
        UPDATE audit_roleheld SET ended_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
        WHERE user_id = OLD.user_id AND role = OLD.role AND ended_at IS NULL;
    END""",
    """CREATE TRIGGER audit_patch_held_insert AFTER INSERT ON accounts_user_patches BEGIN
        INSERT INTO audit_patchheld (user_id, patch_id, started_at, ended_at)
        VALUES (NEW.user_id, NEW.patch_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NULL);
    END""",
    """CREATE TRIGGER audit_patch_held_delete AFTER DELETE ON accounts_user_patches BEGIN
        UPDATE audit_patchheld SET ended_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
        WHERE user_id = OLD.user_id AND patch_id = OLD.patch_id AND ended_at IS NULL;
    END""",
    """CREATE TRIGGER audit_training_held_insert AFTER INSERT ON accounts_user
    WHEN NEW.kind = 'staff' BEGIN
        INSERT INTO audit_trainingheld (user_id, completed_on, started_at, ended_at)
        VALUES (NEW.id, NEW.training_completed_on, strftime('%Y-%m-%d %H:%M:%f', 'now'), NULL);
    END""",
    """CREATE TRIGGER audit_training_held_update AFTER UPDATE OF training_completed_on ON accounts_user
    WHEN OLD.training_completed_on IS NOT NEW.training_completed_on BEGIN
        UPDATE audit_trainingheld SET ended_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE user_id = NEW.id AND ended_at IS NULL;
        INSERT INTO audit_trainingheld (user_id, completed_on, started_at, ended_at)
        VALUES (NEW.id, NEW.training_completed_on, strftime('%Y-%m-%d %H:%M:%f', 'now'), NULL);
    END""",
    "CREATE INDEX audit_at ON audit_accessevent (at)",
]
SQLITE_DROP = [
    "DROP INDEX IF EXISTS audit_at",
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "audit_role_held_insert",
            "audit_role_held_delete",
            "audit_patch_held_insert",
            "audit_patch_held_delete",
            "audit_training_held_insert",
            "audit_training_held_update",
        )
    ),
]


def copy_what_exists(apps, schema_editor):  # type: ignore[no-untyped-def]
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    User = apps.get_model("accounts", "User")
    RoleHeld = apps.get_model("audit", "RoleHeld")
    PatchHeld = apps.get_model("audit", "PatchHeld")
    TrainingHeld = apps.get_model("audit", "TrainingHeld")
    RoleHeld.objects.bulk_create(
        RoleHeld(user_id=grant.user_id, role=grant.role, started_at=grant.granted_at)
        for grant in RoleGrant.objects.all()
    )
    PatchHeld.objects.bulk_create(
        PatchHeld(user_id=row.user_id, patch_id=row.patch_id) for row in User.patches.through.objects.all()
    )
    TrainingHeld.objects.bulk_create(
        TrainingHeld(user_id=user.id, completed_on=user.training_completed_on)
        for user in User.objects.filter(kind="staff")
    )


def forget_history(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name in ("RoleHeld", "PatchHeld", "TrainingHeld"):
        apps.get_model("audit", name).objects.all().delete()


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_CREATE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_route_session_and_staff_history"),
        ("accounts", "0002_user_training_completed_on_alter_rolegrant_role"),
    ]
    operations = [
        migrations.RunPython(copy_what_exists, forget_history),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
