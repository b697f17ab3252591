"""Canaries: synthetic households whose markers must never reach anyone else."""

from porch.core.modules import AuditKind, Module, Owner, PersonalModel, register

CANARY_TRIP = AuditKind("canary_trip", "a canary alarm")

register(
    Module(
        app="canaries",
        name="Canaries",
        personal=(PersonalModel("canaries.CanaryTrip", Owner.STAFF, "actor"),),
        audit_kinds=(CANARY_TRIP,),
    )
)
