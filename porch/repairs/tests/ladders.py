"""The role ladders of the repairs pages, for the route sweep (tests/test_route_sweep.py):
one file per audience."""

from porch.repairs.tests import ladders_contractor, ladders_resident, ladders_staff

LADDERS = {**ladders_resident.LADDERS, **ladders_contractor.LADDERS, **ladders_staff.LADDERS}
